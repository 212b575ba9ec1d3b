// Tour targets: lesson steps name a part of the UI; these are the selectors that find it.
// A `data-tour` attribute wins; the aria-labels the layout already has are the fallbacks.
export const TOUR_TARGETS: Record<string, readonly string[]> = {
  canvas: ['[data-tour="canvas"]', '[aria-label$="view canvas"]', '.react-flow'],
  'view-switch': ['[data-tour="view-switch"]', '[role="toolbar"][aria-label="View"]'],
  palette: ['[data-tour="palette"]', 'nav[aria-label="Palette"]'],
  properties: [
    '[data-tour="properties"]',
    'section[aria-label="Properties"]',
    '[role="tablist"][aria-label="Side panel"]',
  ],
  tables: [
    '[data-tour="tables"]',
    '[data-testid="host-tables"]',
    '[role="tablist"][aria-label="Side panel"]',
  ],
  'trace-controls': [
    '[data-tour="trace-controls"]',
    '[data-testid="trace-panel"] form',
    '[data-testid="trace-panel"]',
  ],
  'trace-timeline': [
    '[data-tour="trace-timeline"]',
    '[data-testid="trace-steps"]',
    '[data-testid="timeline"]',
  ],
  inspector: ['[data-tour="inspector"]', '[data-testid="inspector"]', '[aria-label="Packet inspector"]'],
  'scenario-picker': ['[data-tour="scenario-picker"]', 'select[aria-label="Scenario"]'],
};

export function findTarget(name: string, root: ParentNode = document): Element | null {
  for (const selector of TOUR_TARGETS[name] ?? [`[data-tour="${name}"]`]) {
    const el = root.querySelector(selector);
    if (el) return el;
  }
  return null;
}
