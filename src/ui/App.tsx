// The lab's layout: top bar; palette | (lessons) | canvas | properties & host tables; trace
// and inspector along the bottom. Panel sizes live in the store (and localStorage); what a
// saved size may take is capped here so the canvas keeps the larger share at any window size.
import { useEffect } from 'react';
import type { TopologyDocument } from '../engine/model/schema';
import { Canvas } from './canvas/Canvas';
import { Palette } from './canvas/Palette';
import { BottomLeftPanel } from './console';
import { InspectorPanel } from './inspector';
import { ImportProblemDialog, useOpenShareLink } from './io';
import { LessonDock } from './lessons';
import { useLessonStore } from './lessons/store';
import { ControllerUpdatesCard } from './migration/ControllerUpdatesCard';
import { useAutosave } from './persistence';
import { PropertiesPanel } from './properties/PropertiesPanel';
import { registerServiceWorker } from './pwa';
import { ChoiceBanner } from './shell/ChoiceBanner';
import { startEngineSync } from './shell/engineSync';
import { HelpOverlay } from './shell/HelpOverlay';
import { Notices } from './shell/Notices';
import { PHONE_MAX_WIDTH, PhoneLayout } from './shell/PhoneLayout';
import { ResizeHandle } from './shell/ResizeHandle';
import { openScenario, SCENARIOS } from './shell/scenarios';
import { useShortcuts } from './shell/shortcuts';
import { TopBar } from './shell/TopBar';
import { useViewportSize } from './shell/useViewportSize';
import { maxBottomPanel, PANEL_LIMITS, useDocumentStore } from './store/document';
import { HostTablesPanel } from './tables';
import { EngineNotice } from './trace';

declare global {
  interface Window {
    /** Benchmark hook (only with ?bench in the URL): load a generated document. */
    __hnvBench?: { load: (doc: TopologyDocument) => void; nodeCount: () => number };
  }
}

// bench/ui drives the lab through this hook; it exists only when the URL asks for it.
if (typeof window !== 'undefined' && new URLSearchParams(window.location.search).has('bench')) {
  window.__hnvBench = {
    load: (doc) => useDocumentStore.getState().loadDocument(doc, 'bench'),
    nodeCount: () => document.querySelectorAll('.react-flow__node').length,
  };
}

let opened = false;
function openInitialScenario() {
  if (opened) return;
  opened = true;
  const params = new URLSearchParams(window.location.search);
  const wanted = params.get('scenario');
  openScenario(
    wanted && (wanted === 'empty' || SCENARIOS.some((s) => s.id === wanted))
      ? wanted
      : (SCENARIOS[0]?.id ?? 'empty'),
  );
}

export function App() {
  const theme = useDocumentStore((s) => s.theme);
  const panels = useDocumentStore((s) => s.panels);
  const rightTab = useDocumentStore((s) => s.rightTab);
  const setRightTab = useDocumentStore((s) => s.setRightTab);
  const lessonsOpen = useLessonStore((s) => s.open);
  const viewport = useViewportSize();
  useShortcuts();
  useAutosave();
  useOpenShareLink();

  useEffect(() => {
    openInitialScenario();
    void registerServiceWorker();
    return startEngineSync();
  }, []);

  useEffect(() => {
    document.documentElement.classList.toggle('dark', theme === 'dark');
    document.documentElement.style.colorScheme = theme;
  }, [theme]);

  // With the lessons open on a laptop screen the palette folds to icons: the canvas keeps room.
  const compactPalette = lessonsOpen && viewport.width < 1536;
  const paletteWidth = compactPalette ? 56 : panels.left;
  const lessonsWidth = Math.max(
    PANEL_LIMITS.lessons[0],
    Math.min(panels.lessons, viewport.width - paletteWidth - panels.right - 540),
  );
  const bottomHeight = Math.min(panels.bottom, maxBottomPanel(viewport.height));
  // The trace pane beside the inspector: two fifths until dragged (the inspector is laid out for
  // the rest); the inspector keeps 560 px.
  const traceWidth = Math.max(
    PANEL_LIMITS.trace[0],
    Math.min(panels.trace || Math.round(viewport.width * 0.4), viewport.width - 560),
  );

  if (viewport.width > 0 && viewport.width < PHONE_MAX_WIDTH) {
    return (
      <>
        <PhoneLayout />
        <EngineNotice />
      </>
    );
  }

  return (
    <div className="flex h-screen min-h-[600px] min-w-[1024px] flex-col bg-slate-50 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <TopBar />
      <div className="flex min-h-0 flex-1">
        <aside style={{ width: paletteWidth }} className="shrink-0 bg-white dark:bg-slate-900">
          <Palette compact={compactPalette} />
        </aside>
        {compactPalette ? (
          <div className="w-px shrink-0 bg-slate-200 dark:bg-slate-800" />
        ) : (
          <ResizeHandle panel="left" orientation="vertical" direction={1} label="Resize palette" />
        )}
        <LessonDock width={lessonsWidth} />
        {lessonsOpen && (
          <ResizeHandle
            panel="lessons"
            orientation="vertical"
            direction={1}
            label="Resize lessons"
            shown={lessonsWidth}
          />
        )}
        <main className="relative flex min-w-0 flex-1 flex-col" data-tour="canvas">
          <Notices />
          <div className="relative min-h-0 flex-1">
            <Canvas />
          </div>
          <ChoiceBanner />
        </main>
        <ResizeHandle panel="right" orientation="vertical" direction={-1} label="Resize side panel" />
        <aside style={{ width: panels.right }} className="flex shrink-0 flex-col bg-white dark:bg-slate-900">
          <ControllerUpdatesCard />
          <div
            role="tablist"
            aria-label="Side panel"
            className="flex h-9 shrink-0 items-end gap-1 border-b border-slate-200 px-2 dark:border-slate-800"
          >
            {(['properties', 'tables'] as const).map((tab) => (
              <button
                key={tab}
                type="button"
                role="tab"
                aria-selected={rightTab === tab}
                onClick={() => setRightTab(tab)}
                className={`-mb-px border-b-2 px-2.5 pb-1.5 text-[13px] font-medium ${
                  rightTab === tab
                    ? 'border-sky-600 text-slate-900 dark:text-slate-50'
                    : 'border-transparent text-slate-500 hover:text-slate-800 dark:text-slate-400 dark:hover:text-slate-200'
                }`}
              >
                {tab === 'properties' ? 'Properties' : 'Host tables'}
              </button>
            ))}
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto" role="tabpanel">
            {rightTab === 'properties' ? <PropertiesPanel /> : <HostTablesPanel />}
          </div>
        </aside>
      </div>
      <ResizeHandle
        panel="bottom"
        orientation="horizontal"
        direction={-1}
        label="Resize trace panel"
        shown={bottomHeight}
      />
      <section
        aria-label="Trace and inspector"
        style={{ height: bottomHeight }}
        className="flex shrink-0 bg-white dark:bg-slate-900"
      >
        <div style={{ width: traceWidth }} className="min-w-0 shrink-0 overflow-auto">
          <BottomLeftPanel />
        </div>
        <ResizeHandle
          panel="trace"
          orientation="vertical"
          direction={1}
          label="Resize trace and inspector"
          shown={traceWidth}
        />
        <div className="min-w-0 flex-1 overflow-auto">
          <InspectorPanel />
        </div>
      </section>
      <HelpOverlay />
      <ImportProblemDialog />
      <EngineNotice />
    </div>
  );
}
