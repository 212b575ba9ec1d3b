// The traced packet as an envelope that travels on the canvas: from the VM through its host's
// vSwitch, up the link to the PA subnet's bus, along it to the router, and on to the far host
// and VM (physical view); from VM to VM, under the subnet while it is in the provider network
// (virtual view). Its position is the current trace step's `where` on the drawn boxes (see
// packetPath.ts), its look the step's real frame as the codec reads it (a worker call): a
// tunnel packet is a dark outer (PA) envelope holding the VM's coloured inner (CA) one.
// Prefers-reduced-motion: it jumps from place to place instead of gliding.
import { useReactFlow, useStore, ViewportPortal } from '@xyflow/react';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { FrameEnvelope } from '../../engine/wire/envelope';
import { engine } from '../../worker/client';
import { colorForVsid } from '../colors';
import { useDocumentStore } from '../store/document';
import { type TraceStep, useTraceStore } from '../store/trace';
import type { LabNode } from './geometry';
import {
  type Box,
  type BoxLookup,
  type Point,
  pathBetween,
  physicalStops,
  placesOf,
  type Stop,
  virtualStops,
} from './packetPath';

/** Outer (provider) envelope: the PA network's colour, apart from every VSID colour. */
export const PA_COLOR = '#1e293b';

const envelopeCache = new WeakMap<Uint8Array, FrameEnvelope>();

/** The codec's reading of every frame of the trace, asked once per frame. */
function useFrameEnvelopes(steps: TraceStep[]): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const missing: Uint8Array[] = [];
    const seen = new Set<Uint8Array>();
    for (const s of steps)
      if (s.frame && !s.aside && !envelopeCache.has(s.frame) && !seen.has(s.frame)) {
        seen.add(s.frame);
        missing.push(s.frame);
      }
    if (missing.length === 0) return;
    let live = true;
    void engine.envelopes(missing).then((found) => {
      for (let i = 0; i < found.length; i++) envelopeCache.set(missing[i], found[i]);
      if (live) setVersion((v) => v + 1);
    });
    return () => {
      live = false;
    };
  }, [steps]);
  return version;
}

const reducedMotion = () =>
  typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

interface Look {
  envelope: FrameEnvelope | undefined;
  vsid: number | undefined;
}

/** Per step: the packet's own frame (a PA ARP step keeps the packet's) and its customer VSID. */
function looksOf(steps: TraceStep[], vsidOfPort: ReadonlyMap<string, number>): Look[] {
  const looks: Look[] = [];
  let frame: Uint8Array | undefined;
  let vsid: number | undefined;
  steps.forEach((s, i) => {
    if (i === 0 || steps[i - 1].packetIndex !== s.packetIndex) {
      frame = undefined;
      vsid = undefined;
    }
    if (!s.aside && s.frame) frame = s.frame;
    const env = frame ? envelopeCache.get(frame) : undefined;
    if (env?.tunnel) vsid = env.tunnel.vni;
    else if (s.where.portId && vsidOfPort.has(s.where.portId)) vsid = vsidOfPort.get(s.where.portId);
    looks.push({ envelope: env, vsid });
  });
  // The first steps of a packet, before its port is named: the packet's first known VSID.
  for (let i = steps.length - 2; i >= 0; i--)
    if (looks[i].vsid === undefined && steps[i + 1].packetIndex === steps[i].packetIndex)
      looks[i] = { ...looks[i], vsid: looks[i + 1].vsid };
  return looks;
}

const translate = (p: Point) => `translate(${p.x}px, ${p.y}px)`;

export function PacketEnvelope() {
  const steps = useTraceStore((s) => s.steps);
  const stepIndex = useTraceStore((s) => s.stepIndex);
  const playing = useTraceStore((s) => s.playing);
  const speed = useTraceStore((s) => s.speed);
  // The rows the event list shows: play and step walk these, so the packet glides between them.
  const visible = useTraceStore((s) => s.visible);
  const view = useDocumentStore((s) => s.view);
  const doc = useDocumentStore((s) => s.doc);
  const nodes = useStore((s) => s.nodes) as LabNode[];
  const flow = useReactFlow<LabNode>();
  const version = useFrameEnvelopes(steps);

  const box: BoxLookup = useMemo(() => {
    void nodes; // re-read positions whenever the drawn nodes change
    return (id: string): Box | undefined => {
      const n = flow.getInternalNode(id);
      if (!n) return undefined;
      const p = n.internals.positionAbsolute;
      return {
        x: p.x,
        y: p.y,
        width: n.measured.width ?? n.width ?? 0,
        height: n.measured.height ?? n.height ?? 0,
      };
    };
  }, [nodes, flow]);

  const networkOfSubnet = useMemo(
    () => new Map(doc.virtualSubnets.map((s) => [s.id, s.vmNetworkId])),
    [doc.virtualSubnets],
  );
  const stops = useMemo(() => {
    if (steps.length === 0) return [];
    const places = placesOf(steps);
    if (view === 'physical') return physicalStops(steps, places, box);
    const vmNodes = new Map<string, string>();
    for (const n of nodes)
      if (n.type === 'vm') {
        const [, vm, subnet] = n.id.split(':');
        if (!vmNodes.has(`${vm}:${subnet}`)) vmNodes.set(`${vm}:${subnet}`, n.id);
      }
    return virtualStops(steps, places, box, doc, vmNodes);
  }, [steps, view, box, doc, nodes]);

  const looks = useMemo(() => {
    void version;
    const vsidOfSubnet = new Map(doc.virtualSubnets.map((s) => [s.id, s.vsid]));
    const vsidOfPort = new Map<string, number>();
    for (const vm of doc.vms)
      for (const nic of vm.nics) {
        const vsid = vsidOfSubnet.get(nic.virtualSubnetId);
        if (vsid !== undefined) vsidOfPort.set(nic.id, vsid);
      }
    return looksOf(steps, vsidOfPort);
  }, [steps, doc, version]);

  const element = useRef<HTMLDivElement>(null);
  const shown = useRef<{ index: number; stop: Stop; view: string } | null>(null);
  const [moving, setMoving] = useState(false);
  const step = steps[stepIndex];
  const stop = step ? stops[stepIndex] : null;

  useLayoutEffect(() => {
    const el = element.current;
    if (!el || !stop || !step) {
      shown.current = null;
      return;
    }
    const before = shown.current;
    shown.current = { index: stepIndex, stop, view };
    for (const a of el.getAnimations()) a.cancel();
    el.style.transform = translate(stop);
    const adjacent =
      before !== null &&
      before.view === view &&
      (Math.abs(before.index - stepIndex) === 1 || adjacentRows(visible, before.index, stepIndex)) &&
      steps[before.index]?.packetIndex === step.packetIndex;
    if (!adjacent || reducedMotion()) {
      setMoving(false);
      return;
    }
    const path = pathBetween(before.stop, stop, box, view === 'virtual' ? networkOfSubnet : undefined);
    const lengths = [0];
    for (let k = 1; k < path.length; k++)
      lengths.push(lengths[k - 1] + Math.hypot(path[k].x - path[k - 1].x, path[k].y - path[k - 1].y));
    const total = lengths[lengths.length - 1];
    if (total < 1) {
      setMoving(false);
      return;
    }
    // A step's worth of time while playing; a short glide when stepping by hand.
    const duration = playing ? Math.min(700, (0.85 * 1000) / speed) : 380;
    const animation = el.animate(
      path.map((p, k) => ({ transform: translate(p), offset: lengths[k] / total })),
      { duration, easing: 'ease-in-out' },
    );
    setMoving(true);
    animation.onfinish = () => setMoving(false);
    animation.oncancel = () => setMoving(false);
  }, [stepIndex, stop, step, steps, visible, view, playing, speed, box, networkOfSubnet]);

  if (!step || !stop) return null;
  const look = looks[stepIndex];
  const env = look?.envelope;
  const inner = look?.vsid === undefined ? '#94a3b8' : colorForVsid(look.vsid, doc);
  const tunnel = env?.tunnel ?? null;
  const protocol = env?.inner.protocol ?? 'other';
  const what = protocol === 'other' ? 'frame' : protocol.toUpperCase();
  const label = tunnel
    ? `${tunnel.encapsulation.toUpperCase()} ${tunnel.vni}`
    : `${what}${env?.vlanId ? ` · VLAN ${env.vlanId}` : ''}`;
  const description = tunnel
    ? `${step.packetLabel}, in ${tunnel.encapsulation.toUpperCase()} VNI ${tunnel.vni}: outer PA ${tunnel.outerSrc} → ${tunnel.outerDst}, inner CA ${env?.inner.src ?? ''} → ${env?.inner.dst ?? ''}`
    : `${step.packetLabel}${env?.inner.src ? `: CA ${env.inner.src} → ${env.inner.dst}` : ''}${env?.vlanId ? `, VLAN ${env.vlanId}` : ''}`;
  return (
    <ViewportPortal>
      <div
        ref={element}
        className="pointer-events-none absolute left-0 top-0"
        style={{ transform: translate(stop), zIndex: 1002 }}
      >
        <div
          role="img"
          aria-label={`Packet: ${description}${step.dropped ? ' (dropped here)' : ''}`}
          data-testid="packet-envelope"
          data-step={stepIndex}
          data-moving={moving ? 'true' : 'false'}
          data-encap={tunnel ? tunnel.encapsulation : 'none'}
          data-vni={tunnel ? tunnel.vni : undefined}
          data-vsid={look?.vsid}
          data-dropped={step.dropped ? 'true' : undefined}
          title={description}
          className="lab-envelope flex -translate-x-1/2 -translate-y-1/2 flex-col items-center"
        >
          <EnvelopeIcon outer={tunnel ? PA_COLOR : null} inner={inner} dropped={step.dropped} />
          <span
            className="mt-0.5 whitespace-nowrap rounded px-1 font-mono text-[10px] font-semibold leading-[14px] text-white shadow"
            style={{ background: tunnel ? PA_COLOR : inner }}
          >
            {tunnel ? (
              <>
                <span className="opacity-70">PA </span>
                {label}
              </>
            ) : (
              label
            )}
          </span>
        </div>
      </div>
    </ViewportPortal>
  );
}

/** A letter: one in the VSID's colour, or (tunnelled) a dark PA one with the coloured one inside. */
function EnvelopeIcon({ outer, inner, dropped }: { outer: string | null; inner: string; dropped: boolean }) {
  const letter = (x: number, y: number, w: number, h: number, fill: string, stroke: string) => (
    <g>
      <rect x={x} y={y} width={w} height={h} rx={2} fill={fill} stroke={stroke} strokeWidth={1.2} />
      <path
        d={`M${x + 1} ${y + 1} L${x + w / 2} ${y + h * 0.55} L${x + w - 1} ${y + 1}`}
        fill="none"
        stroke="white"
        strokeWidth={1.3}
        strokeLinejoin="round"
      />
    </g>
  );
  return (
    <svg
      width={outer ? 38 : 28}
      height={outer ? 27 : 20}
      viewBox={outer ? '0 0 38 27' : '0 0 28 20'}
      aria-hidden
    >
      {outer ? (
        <>
          {letter(1, 1, 36, 25, outer, 'white')}
          {letter(10, 11, 18, 13, inner, 'white')}
        </>
      ) : (
        letter(1, 1, 26, 18, inner, 'white')
      )}
      {dropped ? (
        <path
          d={outer ? 'M6 3 L32 24 M32 3 L6 24' : 'M4 2 L24 18 M24 2 L4 18'}
          stroke="#dc2626"
          strokeWidth={3}
          strokeLinecap="round"
        />
      ) : null}
    </svg>
  );
}

/** Two steps next to each other among the rows shown (the summary skips detail rows between them). */
function adjacentRows(visible: number[], a: number, b: number): boolean {
  const i = visible.indexOf(a);
  const j = visible.indexOf(b);
  return i >= 0 && j >= 0 && Math.abs(i - j) === 1;
}
