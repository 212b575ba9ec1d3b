export { EngineNotice } from './EngineNotice';
export type { TracePanelProps } from './TracePanel';
export { TracePanel } from './TracePanel';
