// What the data plane did, as typed events: the pieces of the forwarder emit these (only when a
// trace is recorded), `render.ts` writes the prose and builds the trace node, and the node keeps
// the event (`node.what`) so tests and the UI read facts, not English. Plain data only.
import type { Action, SouthboundUpdate } from '../../controller/types';
import type { NextHopType } from '../../model/schema';

/** A lookup record as a trace shows it. */
export interface RecordFact {
  caIp: string;
  vsid: number;
  mac: string;
  pa: string;
  encapsulation: string;
  vm: string;
}

/** A route the distributed router considered, as a trace shows it. */
export interface RouteFact {
  prefix: string;
  length: number;
  /** system: a subnet of the VM network; peering: a subnet of a peered one; udr: a route table's. */
  origin: 'system' | 'udr' | 'peering' | 'gateway';
  nextHopType: NextHopType;
  /** The appliance's CA (VirtualAppliance), else null. */
  nextHop: string | null;
  /** The destination subnet's VSID (system and peering routes). */
  vsid: number | null;
  routeTable?: string;
  route?: string;
  /** 'Hub<->Spoke' */
  peering?: string;
}

export type TraceEvent =
  // ---- the packet's own hops
  | { type: 'packet'; label: string; protocol: 'arp' | 'icmp' | 'tcp' | 'udp' | 'frame' }
  | { type: 'vm-send'; vm: string; host: string }
  | { type: 'uplink-receive'; host: string }
  | { type: 'wire'; link: string; prefix: string; vlanId: number; mtu: number; from: string }
  | {
      type: 'pa-arp';
      op: 'request' | 'reply';
      link: string;
      vlanId: number;
      asker: string;
      owner: string;
      senderIp: string;
      targetIp: string;
      mac: string;
    }
  | { type: 'vlan-trunk'; vlanId: number; host: string; link: string }
  | { type: 'vlan-trunk-receive'; vlanId: number; host: string }
  | { type: 'vlan-answer'; vm: string; ip: string; mac: string; host: string }
  // ---- the unified flow table
  | {
      type: 'uft';
      event: 'hit' | 'miss' | 'insert' | 'invalidate';
      /** 'port': a vSwitch port's table (vm set); 'uplink': the host's decap side. */
      place: 'port' | 'uplink';
      host: string;
      vm?: string;
      key: string;
      actions?: string[];
      hits?: number;
      /** A hit on an entry built from a record whose update has not reached this host. */
      stale?: { pa: string; caIp: string; vsid: number; nowPa: string };
      /** An invalidation: the lookup records the entry was built from. */
      builtFrom?: { caIp: string; vsid: number }[];
    }
  // ---- VFP
  | { type: 'stage'; layer: string; group: string; direction: 'in' | 'out' }
  | {
      type: 'rule';
      hit: boolean;
      isDefault: boolean;
      ruleId: string;
      priority: number;
      origin: string;
      layer: string;
      group: string;
    }
  // ---- lookups
  | {
      type: 'ca-pa';
      host: string;
      vsid: number;
      ca: string;
      record: RecordFact | null;
      /** The controller's PA when the host still holds an older record. */
      stalePa?: string;
    }
  | {
      /** The distributed router's route decision: the winning route, and why it won. */
      type: 'route-decision';
      vmNetwork: string;
      /** The VSID the packet was sent from (its subnet's route table applies). */
      vsid: number;
      dst: string;
      winner: RouteFact | null;
      /** Every route holding the destination, best first. */
      matching: RouteFact[];
      why: string;
    }
  | {
      /** A virtual appliance's guest (IP forwarding on) routes a packet not addressed to it back out. */
      type: 'appliance-forward';
      vm: string;
      host: string;
      dst: string;
      nextHop: string;
      ttl: number;
    }
  | {
      type: 'pa-next-hop';
      host: string;
      nextHop: string;
      sameSubnet: boolean;
      cached: boolean;
      mac: string | null;
      owner: string;
    }
  | {
      type: 'host-agent-arp';
      host: string;
      target: string;
      vsid: number;
      mac: string | null;
      owner: string;
    }
  | {
      type: 'vlan-members';
      vlanId: number;
      wanted: string;
      targets: { vm: string; host: string }[];
      members: number;
    }
  | { type: 'pa-compartment'; host: string; pa: string; encap: string; vsid: number }
  | { type: 'port-by-mac'; host: string; vsid: number; mac: string; port: string | null }
  | {
      type: 'router-lookup';
      router: string;
      dst: string;
      link: string;
      prefix: string;
      vlanId: number;
      cached: boolean;
      mac: string | null;
      owner: string;
    }
  // ---- the RAS gateway and what lies beyond the L3 router (dataplane/gateway)
  /** A gateway NIC or a site's edge device takes a frame off its link. */
  | { type: 'edge-receive'; device: string; link: string }
  /** A host beyond the router (on-premises or on the internet) sends its answer towards its edge. */
  | { type: 'site-send'; host: string; site: string }
  /** The tenant compartment's route lookup on the gateway: the winning route and where it came from. */
  | {
      type: 'gateway-route';
      gateway: string;
      compartment: string;
      dst: string;
      prefix: string | null;
      connection: string | null;
      origin: string | null;
    }
  /**
   * A tenant compartment's L3 connection (L3 forwarding, no tunnel): 'out', the packet leaves on
   * the connection's VLAN from the compartment's L3 interface to the peer; 'in', a packet arriving
   * on that VLAN enters the compartment the VLAN belongs to.
   */
  | {
      type: 'gateway-l3';
      direction: 'out' | 'in';
      gateway: string;
      compartment: string;
      connection: string;
      vlanId: number;
      link: string;
      localIp: string;
      peerIp: string;
      /** 'out': the peer's MAC, the frame's destination. */
      peerMac: string | null;
    }
  /**
   * The gateway's flow cache, per tenant flow out through a compartment: 'miss' (the slow path:
   * the compartment's routes are walked), 'insert' (the decision kept), 'hit' (the fast path).
   */
  | {
      type: 'gateway-flow';
      event: 'hit' | 'miss' | 'insert';
      gateway: string;
      compartment: string;
      /** 'ICMP 10.1.1.12 -> 172.16.0.10 id 1' */
      flow: string;
      connection: string | null;
      hits: number;
    }
  | { type: 'path-mtu'; host: string; code: number; mtu: number; from: string; to: string; pa: string }
  // ---- the stateful firewall (a port's connection state)
  | {
      type: 'conn-state';
      /**
       * 'reply': the packet is a reply of a tracked flow, allowed without the ACL rules;
       * 'miss': no state lets it through (a packet of a tracked flow in its own direction
       * neither), the ACL rules decide; 'commit': the rules allowed a new flow, now tracked;
       * 'refresh': the rules allowed a tracked flow again, its idle timer restarts;
       * 'untracked': allowed, but nothing comes back to track (an ICMP error or reply);
       * 'expired': the idle timeout removed the state.
       */
      event: 'reply' | 'miss' | 'commit' | 'refresh' | 'untracked' | 'expired';
      vm: string;
      host: string;
      direction: 'in' | 'out';
      /** The packet's 5-tuple (the expired flow's, for 'expired'). */
      packet: string;
      /** The tracked flow (its original direction), when there is one. */
      flow: string | null;
      /** SYN_SENT / ESTABLISHED (TCP), NEW / REPLIED (UDP, ICMP). */
      state: string | null;
      idleTimeout: number;
      /** Lab clock, seconds. */
      time: number;
      /** Cached flow entries a commit or an expiry invalidated (their verdict came from the old state). */
      invalidated?: number;
    }
  // ---- software load balancing (dataplane/slb)
  | {
      type: 'bgp-route';
      router: string;
      dst: string;
      /** 'VIP/32' */
      prefix: string;
      /** Every MUX announcing the VIP that this router reaches (ECMP), and the one the hash picked. */
      nextHops: { ip: string; mux: string }[];
      chosen: string;
      hash: string;
      origin: string;
    }
  | {
      type: 'slb-mux';
      mux: string;
      host: string;
      loadBalancer: string;
      rule: string;
      /** '198.51.100.10:50000 -> 203.0.113.10:80 TCP' */
      tuple: string;
      distribution: string;
      /** The Toeplitz hash of the tuple the distribution names, '0x51ccc178'. */
      hash: string;
      /** The rule's DIPs and their probe state. */
      dips: { dip: string; vm: string; healthy: boolean }[];
      chosen: { dip: string; vm: string; host: string; pa: string };
      /** 'new': picked by hash among healthy DIPs; 'existing': the MUX's flow table (affinity). */
      flow: 'new' | 'existing';
    }
  | {
      type: 'slb-mux-snat';
      mux: string;
      host: string;
      loadBalancer: string;
      rule: string;
      /** '198.51.100.10:443 -> 203.0.113.10:1024 TCP' */
      tuple: string;
      /** The VIP port the answer came to, and the DIP's slice that holds it ('1024-2047'). */
      port: number;
      slice: string;
      chosen: { dip: string; vm: string; host: string; pa: string };
    }
  /** The SLB host agent's outbound NAT table on a DIP's host: a mapping made, used or missing. */
  | {
      type: 'slb-snat';
      host: string;
      vm: string;
      loadBalancer: string;
      direction: 'out' | 'in';
      /** 'new' (out: a port given now), 'existing', or 'none' (in: no such mapping). */
      mapping: 'new' | 'existing' | 'none';
      /** The DIP's side, '10.1.1.11:50000'. */
      inside: string;
      remote: string;
      /** The VIP's side, '203.0.113.10:1024'. */
      public: string;
      slice: string;
    }
  | { type: 'endpoint-receive'; endpoint: string; link: string }
  // ---- actions
  | { type: 'action'; action: Action; text: string }
  // ---- ends
  /** `plain`: an IP packet on the PA network as it is (SLB direct server return), not a tunnel packet. */
  | { type: 'output-uplink'; host: string; plain?: boolean }
  | {
      type: 'icmp-error';
      router: string;
      to: string;
      from: string;
      icmp: { type: number; code: number; nextHopMtu?: number };
    }
  | { type: 'deliver'; vm: string; host: string; text?: string }
  | { type: 'drop'; at: string; reason: string }
  | { type: 'control-plane'; host: string; update: SouthboundUpdate };

export type TraceEventType = TraceEvent['type'];
