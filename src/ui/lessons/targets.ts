// Tour targets: lesson steps name a part of the UI; these are the selectors that find it.
// A `data-tour` attribute wins; the aria-labels the layout already has are the fallbacks.
export const TOUR_TARGETS: Record<string, readonly string[]> = {
  canvas: ['[data-tour="canvas"]', '[aria-label$="view canvas"]', '.react-flow'],
  'view-switch': ['[data-tour="view-switch"]', '[aria-label="View"]', '[aria-label="Canvas view"]'],
  palette: ['[data-tour="palette"]', 'nav[aria-label="Palette"]'],
  properties: ['[data-tour="properties"]', '[aria-label="Properties"]'],
  tables: ['[data-tour="tables"]', '[aria-label="Host tables"]', '[aria-label="Tables"]'],
  'trace-controls': ['[data-tour="trace-controls"]', '[aria-label="Trace controls"]', '[aria-label="Trace"]'],
  'trace-timeline': ['[data-tour="trace-timeline"]', '[aria-label="Trace timeline"]'],
  inspector: ['[data-tour="inspector"]', '[aria-label="Packet inspector"]'],
  'scenario-picker': ['[data-tour="scenario-picker"]', '[aria-label="Scenario"]'],
};

export function findTarget(name: string, root: ParentNode = document): Element | null {
  for (const selector of TOUR_TARGETS[name] ?? [`[data-tour="${name}"]`]) {
    const el = root.querySelector(selector);
    if (el) return el;
  }
  return null;
}
