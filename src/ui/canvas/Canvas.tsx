// The canvas: one document drawn as the physical or the virtual view. Geometry is
// derived from the document; while the user drags, positions live in local state and
// land in the document (one undoable "Move") when the drag ends.
import {
  applyNodeChanges,
  Background,
  BackgroundVariant,
  type Connection,
  ConnectionMode,
  Controls,
  type FitViewOptions,
  MiniMap,
  type NodeChange,
  type OnSelectionChangeParams,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import {
  type DragEvent,
  type MouseEvent as ReactMouseEvent,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { connectToLogicalSubnet, migrateVm, type PaletteKind } from '../actions/commands';
import { moveNodes } from '../actions/layout';
import type { Point } from '../actions/types';
import { useDocumentStore } from '../store/document';
import { useTracePick } from '../trace/pick';
import { edgeTypes } from './edges';
import { type LabNode, physicalGraph, virtualGraph } from './geometry';
import { nodeTypes } from './nodes';
import { PacketEnvelope } from './PacketEnvelope';
import { PALETTE_MIME } from './Palette';
import { vnicOfNode } from './PickBanner';
import { placeFromPalette } from './place';
import { TraceOverlay } from './TraceOverlay';

const BIG_GRAPH = 250;
/**
 * Tight enough that a two-host datacenter stays above the simplified-node zoom at 1280×800;
 * the left margin keeps the zoom controls off the nodes.
 */
const FIT_VIEW: FitViewOptions<LabNode> = {
  padding: { top: '20px', right: '20px', bottom: '20px', left: '60px' },
  maxZoom: 1.1,
  duration: 0,
};

function kindOf(nodeId: string): string {
  return nodeId.slice(0, nodeId.indexOf(':'));
}

function objectIdOf(node: LabNode): string {
  return node.data.objectId;
}

function CanvasInner({ readOnly }: { readOnly: boolean }) {
  const doc = useDocumentStore((s) => s.doc);
  const view = useDocumentStore((s) => s.view);
  const selection = useDocumentStore((s) => s.selection);
  const theme = useDocumentStore((s) => s.theme);
  const scenarioId = useDocumentStore((s) => s.scenarioId);
  const flow = useReactFlow<LabNode>();

  const graph = useMemo(() => (view === 'physical' ? physicalGraph(doc) : virtualGraph(doc)), [doc, view]);
  const [nodes, setNodes] = useState<LabNode[]>(graph.nodes);
  const selectionRef = useRef(selection);
  selectionRef.current = selection;

  // Re-derive on every document change; selection flags come from the store.
  useEffect(() => {
    const selected = new Set(selectionRef.current);
    setNodes(graph.nodes.map((n) => (selected.has(objectIdOf(n)) ? { ...n, selected: true } : n)));
  }, [graph]);

  // The store's selection (created objects, undo, the properties panel) shows on the canvas.
  useEffect(() => {
    const selected = new Set(selection);
    setNodes((current) => {
      let changed = false;
      const next = current.map((n) => {
        const want = selected.has(objectIdOf(n)) && n.type !== 'drouter';
        if (Boolean(n.selected) === want) return n;
        changed = true;
        return { ...n, selected: want };
      });
      return changed ? next : current;
    });
  }, [selection]);

  // Frame the whole datacenter when a scenario opens or the view switches.
  const wrapper = useRef<HTMLDivElement>(null);
  /** The user panned or zoomed since the last automatic fit: resizes then leave the view alone. */
  const userMoved = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: refit on scenario and view changes only
  useEffect(() => {
    userMoved.current = false;
    const id = window.setTimeout(() => flow.fitView(FIT_VIEW), 30);
    return () => window.clearTimeout(id);
  }, [scenarioId, view, flow]);

  // The canvas changes size (lessons opened, a panel resized, the window): refit, unless the
  // user has framed the view themselves. A notice strip (a few px) does not move the view.
  useEffect(() => {
    const element = wrapper.current;
    if (!element) return;
    let last = { width: element.clientWidth, height: element.clientHeight };
    let timer = 0;
    const observer = new ResizeObserver(() => {
      const now = { width: element.clientWidth, height: element.clientHeight };
      const big = Math.abs(now.width - last.width) > 2 || Math.abs(now.height - last.height) > 60;
      if (!big) return;
      last = now;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        if (!userMoved.current) void flow.fitView(FIT_VIEW);
      }, 60);
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      window.clearTimeout(timer);
    };
  }, [flow]);

  // New objects (a palette drop or click, a paste, an undo) that land outside the view bring
  // the view to them: the whole datacenter is framed again, never zoomed in further.
  const framed = useRef({ scenarioId, view, ids: new Set<string>() });
  useEffect(() => {
    const ids = new Set(graph.nodes.map((n) => n.id));
    const before = framed.current;
    framed.current = { scenarioId, view, ids };
    // A scenario just opened or the view switched: the fit above frames it.
    if (before.scenarioId !== scenarioId || before.view !== view) return;
    const added = [...ids].filter((id) => !before.ids.has(id));
    if (added.length === 0) return;
    const first = before.ids.size === 0;
    const timer = window.setTimeout(() => {
      const element = wrapper.current;
      if (first) {
        // The first object on an empty canvas: bring it into view at a working zoom.
        void flow.fitView({ padding: 0.4, maxZoom: 1, duration: 150 });
        return;
      }
      if (!element) return;
      const { x, y, zoom } = flow.getViewport();
      const visible = {
        left: -x / zoom,
        top: -y / zoom,
        right: (element.clientWidth - x) / zoom,
        bottom: (element.clientHeight - y) / zoom,
      };
      const outside = added.some((id) => {
        const node = flow.getInternalNode(id);
        if (!node) return false;
        const { x: nx, y: ny } = node.internals.positionAbsolute;
        const w = node.measured.width ?? node.width ?? 0;
        const h = node.measured.height ?? node.height ?? 0;
        return nx < visible.left || ny < visible.top || nx + w > visible.right || ny + h > visible.bottom;
      });
      if (outside) {
        userMoved.current = false;
        void flow.fitView({ ...FIT_VIEW, maxZoom: Math.min(FIT_VIEW.maxZoom ?? 1, zoom), duration: 200 });
      }
    }, 60);
    return () => window.clearTimeout(timer);
  }, [graph, scenarioId, view, flow]);

  const onNodesChange = useCallback((changes: NodeChange<LabNode>[]) => {
    setNodes((current) => applyNodeChanges(changes, current));
  }, []);

  // Objects drawn in this view: a selection made in the other view (a virtual subnet,
  // then a VM dropped on a host in the physical view) survives the switch.
  const shown = useRef(new Set<string>());
  shown.current = useMemo(() => new Set(graph.nodes.map(objectIdOf)), [graph]);
  const onSelectionChange = useCallback(({ nodes: picked }: OnSelectionChangeParams) => {
    const store = useDocumentStore.getState();
    const ids: string[] = [];
    for (const n of picked as LabNode[]) {
      if (n.type === 'drouter') continue;
      const id = objectIdOf(n);
      if (!ids.includes(id)) ids.push(id);
    }
    // A pick in this view replaces the selection; an empty one keeps what this view does not draw.
    store.select(ids.length > 0 ? ids : store.selection.filter((id) => !shown.current.has(id)));
  }, []);
  const onPaneClick = useCallback(() => useDocumentStore.getState().select([]), []);

  // Picking the trace's endpoints: a click on a VM hands its vNIC to the trace form.
  const picking = useTracePick((s) => s.mode) !== null;
  const onNodeClick = useCallback((_event: ReactMouseEvent, node: LabNode) => {
    const pick = useTracePick.getState();
    if (pick.mode === null || node.type !== 'vm') return;
    const vnic = vnicOfNode(node.id, useDocumentStore.getState().doc);
    if (vnic) pick.pick(vnic);
  }, []);

  /** Objects under a flow-space point, innermost (smallest) first per kind. */
  const objectsAt = useCallback(
    (point: Point, exclude?: string): Partial<Record<PaletteKind, string>> => {
      const hits = flow
        .getIntersectingNodes({ x: point.x - 1, y: point.y - 1, width: 2, height: 2 }, true)
        .filter((n) => n.id !== exclude)
        .sort((a, b) => (a.width ?? 0) * (a.height ?? 0) - (b.width ?? 0) * (b.height ?? 0));
      const targets: Partial<Record<PaletteKind, string>> = {};
      for (const n of hits) {
        const kind = kindOf(n.id) as PaletteKind;
        if (kind && !targets[kind]) targets[kind] = objectIdOf(n);
      }
      return targets;
    },
    [flow],
  );

  const onNodeDragStop = useCallback(
    (event: MouseEvent | TouchEvent | ReactMouseEvent, dragged: LabNode, draggedNodes: LabNode[]) => {
      const store = useDocumentStore.getState();
      if (dragged.type === 'vm' && store.view === 'physical') {
        const pointer = 'clientX' in event ? event : event.changedTouches[0];
        const point = flow.screenToFlowPosition({ x: pointer.clientX, y: pointer.clientY });
        const hostId = objectsAt(point, dragged.id).host;
        const vm = store.doc.vms.find((v) => v.id === objectIdOf(dragged));
        if (vm && hostId && hostId !== vm.hostId) {
          void migrateVm(vm.id, hostId);
        } else {
          // Dropped back on its own host or on empty canvas: snap back into the host's grid.
          setNodes(
            graph.nodes.map((n) => (store.selection.includes(objectIdOf(n)) ? { ...n, selected: true } : n)),
          );
        }
        return;
      }
      const positions: Record<string, Point> = {};
      for (const n of draggedNodes) {
        if (n.parentId) continue; // nested nodes are laid out by their container
        positions[objectIdOf(n)] = n.position;
      }
      if (Object.keys(positions).length > 0) store.perform(moveNodes, { view: store.view, positions });
    },
    [flow, graph, objectsAt],
  );

  const isValidConnection = useCallback((c: Connection | { source: string; target: string }) => {
    const kinds = new Set([kindOf(c.source), kindOf(c.target)]);
    return kinds.has('lsubnet') && (kinds.has('host') || kinds.has('router')) && kinds.size === 2;
  }, []);

  const onConnect = useCallback((c: Connection) => {
    const [subnetEnd, otherEnd] =
      kindOf(c.source) === 'lsubnet' ? [c.source, c.target] : [c.target, c.source];
    const strip = (id: string) => id.slice(id.indexOf(':') + 1);
    void connectToLogicalSubnet(strip(otherEnd), strip(subnetEnd));
  }, []);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(PALETTE_MIME) as PaletteKind;
      if (!kind) return;
      event.preventDefault();
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const targets = objectsAt(position);
      void placeFromPalette(kind, { view: useDocumentStore.getState().view, position, targets });
    },
    [flow, objectsAt],
  );

  const big = nodes.length > BIG_GRAPH;
  return (
    <div
      ref={wrapper}
      className="relative h-full w-full"
      data-testid="canvas"
      data-picking={picking ? 'true' : undefined}
    >
      <ReactFlow<LabNode>
        nodes={nodes}
        edges={graph.edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onSelectionChange={onSelectionChange}
        onPaneClick={onPaneClick}
        onNodeClick={onNodeClick}
        elementsSelectable={!picking}
        onMoveStart={(event) => {
          // Only a user's gesture carries an event; fitView and setViewport do not.
          if (event) userMoved.current = true;
        }}
        onNodeDragStop={onNodeDragStop}
        onConnect={readOnly ? undefined : onConnect}
        isValidConnection={isValidConnection}
        connectionMode={ConnectionMode.Loose}
        onDragOver={readOnly ? undefined : onDragOver}
        onDrop={readOnly ? undefined : onDrop}
        nodesDraggable={!readOnly && !picking}
        nodesConnectable={!readOnly}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        onlyRenderVisibleElements={big}
        minZoom={0.05}
        maxZoom={2.5}
        colorMode={theme}
        proOptions={{ hideAttribution: true }}
        fitView
        fitViewOptions={FIT_VIEW}
        aria-label={`${view === 'physical' ? 'Physical' : 'Virtual'} view canvas`}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1} />
        <Controls position="bottom-left" showInteractive={false} />
        {big || nodes.length < 40 ? null : (
          <MiniMap position="bottom-right" pannable zoomable className="!h-24 !w-36" />
        )}
        <TraceOverlay />
        <PacketEnvelope />
        <ZoomVariable target={wrapper} />
      </ReactFlow>
      {nodes.length === 0 ? <EmptyHint view={view} /> : null}
    </div>
  );
}

/**
 * The zoom as a CSS variable on the canvas: node labels keep a readable size on screen when
 * zoomed out (index.css `.lab-label-*`) without re-rendering a single node.
 */
function ZoomVariable({ target }: { target: { current: HTMLDivElement | null } }) {
  const zoom = useStore((s) => s.transform[2]);
  useEffect(() => {
    target.current?.style.setProperty('--lab-zoom', String(zoom));
  }, [zoom, target]);
  return null;
}

function EmptyHint({ view }: { view: 'physical' | 'virtual' }) {
  return (
    <div className="pointer-events-none absolute inset-0 flex items-center justify-center">
      <div
        data-testid="empty-hint"
        className="max-w-md rounded-lg border border-dashed border-slate-300 bg-white/80 p-5 text-center text-sm text-slate-500 dark:border-slate-700 dark:bg-slate-900/80 dark:text-slate-400"
      >
        <div className="mb-1 font-medium text-slate-700 dark:text-slate-200">An empty datacenter</div>
        {view === 'physical' ? (
          <>
            <p>
              Drag a logical subnet, a router and Hyper-V hosts from the palette. Draw a link from a router to
              a subnet to connect them.
            </p>
            <p className="mt-1.5">
              Tenants, VM networks and virtual subnets are drawn in the <strong>Virtual</strong> view: drop
              one here and the canvas switches there.
            </p>
          </>
        ) : (
          <>
            <p>Drag a tenant, then a VM network onto it, then a virtual subnet onto the VM network.</p>
            <p className="mt-1.5">
              Logical subnets, routers and Hyper-V hosts are drawn in the <strong>Physical</strong> view. A VM
              needs both: a virtual subnet and a host.
            </p>
          </>
        )}
      </div>
    </div>
  );
}

/** `readOnly`: look, pan, zoom and select, but no drag, drop or link (the phone layout). */
export function Canvas({ readOnly = false }: { readOnly?: boolean }) {
  return (
    <ReactFlowProvider>
      <CanvasInner readOnly={readOnly} />
    </ReactFlowProvider>
  );
}
