export type { InspectorPanelProps } from './InspectorPanel';
export { InspectorPanel } from './InspectorPanel';
