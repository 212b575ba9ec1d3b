// Guided lessons are data: steps with words, highlights, a task checked by a pure
// predicate, and "predict before you look" questions whose right answer is derived
// from the document or the trace. Nothing here touches React or the engine's code.
import type { TopologyDocument } from '../../engine/model/schema';

/** What one encapsulated hop looked like on the provider network. */
export interface EncapFact {
  type: 'vxlan' | 'nvgre';
  /** VXLAN VNI or the NVGRE key's top 24 bits: the virtual subnet's VSID. */
  vsid: number;
  outerSrcIp: string;
  outerDstIp: string;
  /** The 802.1Q tag of the PA logical subnet, when the outer frame carried one. */
  vlanId?: number;
  /** Bytes this encapsulation added to the inner frame (outer headers only). */
  overhead?: number;
}

/**
 * A trace, reduced to the plain facts lessons reason about. The UI derives it from the
 * engine's trace (src/ui/lessons/facts.ts); lesson checks never see engine internals.
 */
export interface TraceFacts {
  protocol: 'arp' | 'icmp' | 'tcp' | 'udp';
  /** Source VM id. */
  fromVmId: string | null;
  /** Destination VM id when the destination is (or resolves to) a VM. */
  toVmId: string | null;
  /** Destination IP as requested. */
  toIp: string | null;
  outcome: 'delivered' | 'dropped';
  dropReason?: string;
  /** Every encapsulation applied on the way (outer headers as sent). */
  encaps: EncapFact[];
  /** Who answered the ARP request: the source host's agent, nobody (unknown CA), or not seen. */
  arp: 'host-agent' | 'no-reply' | 'none';
  /** True when some frame of the trace crossed a physical link (left a host). */
  leftHost: boolean;
  /** True when the distributed router forwarded the packet between virtual subnets. */
  routed: boolean;
  /** VSIDs the packet carried, in order of appearance (inner frames included). */
  vsids: number[];
  /** Which VFP path the first packet of the flow took. */
  path: 'slow' | 'fast' | 'mixed' | 'unknown';
  /** Host ids the trace visited, in order. */
  hosts: string[];
  /** Tenant VLAN tags the vSwitch pushed (VLAN isolation), in order of first use. */
  vlans?: number[];
  /** ARP requests on the physical links for PA next hops, in order: who asked for whom. */
  paArp?: { senderIp: string; targetIp: string }[];
  /** Tunnels the RAS gateway (or a site) put the packet in: GRE with its key, ESP with its SPI. */
  tunnels?: { kind: 'gre' | 'esp'; key?: number; spi?: number; outerSrcIp: string; outerDstIp: string }[];
  /** The gateway's NAT rewrites, in order: inside address:port -> public address:port (and back). */
  nat?: { direction: 'out' | 'in'; from: string; to: string }[];
  /**
   * The software load balancer: the DIP (VM label) the MUX sent the first packet to, whether
   * the MUX picked it now or its flow table already had the flow (affinity), and whether a
   * reply left the DIP's host un-encapsulated (direct server return).
   */
  slb?: { mux: string; dip: string; flow: 'new' | 'existing'; dsr: boolean };
  /** The trace's source when it is no VM (an external endpoint such as 'Internet/Client'). */
  fromEndpoint?: string;
  /** ICMP errors routers sent back on the physical network (fragmentation needed, with the MTU). */
  icmpErrors?: { type: number; code: number; fromIp: string; toIp: string; nextHopMtu?: number }[];
}

export interface LessonFacts {
  document: TopologyDocument;
  /** The built-in scenario the document was opened from ('empty' for a blank canvas). */
  scenarioId: string;
  /** The latest trace, or null when none has been run since the document loaded. */
  trace: TraceFacts | null;
  /** The canvas view the learner is looking at. */
  view: 'physical' | 'virtual';
  /** Ids of the selected objects. */
  selection: readonly string[];
}

export interface CheckResult {
  done: boolean;
  /** When not done: what is still missing, in the learner's words. */
  note?: string;
}

/** A pure predicate over plain data. */
export type Check = (facts: LessonFacts) => CheckResult;

export interface Task {
  /** What to do, as an instruction ("Trace a ping from Contoso/Web to Contoso/SQL"). */
  text: string;
  check: Check;
  hint?: string;
}

export interface Choice {
  /** Stable id: saved answers refer to it even when labels are derived. */
  id: string;
  label: string;
  correct: boolean;
  /** Shown after the learner picks this choice. */
  feedback: string;
}

export interface Question {
  id: string;
  prompt: string;
  /** Derived from the current document/trace so the right answer is never stale. */
  choices: (facts: LessonFacts) => Choice[];
  /**
   * The state the question is about, when it asks about the result of a task ("the outer
   * destination now, after the move"). Until the document shows that state the question is
   * blocked: no choices, the check's note says what to do first, and no answer counts.
   */
  needs?: Check;
}

export interface LessonStep {
  id: string;
  title: string;
  /** Short paragraphs, blank-line separated. `code` spans in backticks. */
  body: string;
  /** A scenario id the step offers to load (a button; never silently replaces work). */
  scenario?: string;
  /** Tour target names (see src/ui/lessons/targets.ts) to draw a highlight ring around. */
  highlight?: string[];
  task?: Task;
  question?: Question;
  /**
   * An in-lesson tool the panel shows under the body. 'add-tenant': buttons that ask the
   * engine to add tenants under VLAN and overlay isolation until one does not fit.
   */
  tool?: 'add-tenant';
}

export interface Lesson {
  id: string;
  title: string;
  summary: string;
  steps: LessonStep[];
}
