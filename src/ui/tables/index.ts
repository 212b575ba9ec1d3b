export type { HostTablesPanelProps } from './HostTablesPanel';
export { HostTablesPanel } from './HostTablesPanel';
