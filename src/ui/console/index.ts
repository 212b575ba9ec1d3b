export { BottomLeftPanel } from './BottomLeftPanel';
export { ConsolePanel } from './ConsolePanel';
