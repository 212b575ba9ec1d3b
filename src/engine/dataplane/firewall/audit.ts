// The firewall audit log of one vSwitch port: every hit of an ACL rule (a rule of an ACL, or an
// ACL's default rule) when a new flow is decided, as SDN firewall auditing records flows: time,
// rule, direction, 5-tuple, allow or deny. A ring buffer of typed arrays: recording allocates
// nothing, and only the newest CAPACITY rows are kept (the total is counted). Replies allowed
// by the connection state hit no rule and are not logged; packets of a cached flow neither.
import type { VfpRule } from '../../controller/types';
import type { Parsed } from '../packet';
import { portsWord, tupleText } from './connections';

export const AUDIT_CAPACITY = 256;

/** One audit row, as host tables and the CLI list it. */
export interface AuditRow {
  /** Lab clock, seconds. */
  time: number;
  ruleId: string;
  /** The rule's name ('allow-web', 'default (deny)'), else its id. */
  rule: string;
  /** The rule's origin: which ACL of which object. */
  origin: string;
  layer: string;
  group: string;
  direction: 'in' | 'out';
  action: 'allow' | 'deny';
  /** '10.1.1.12:50000 -> 10.1.1.11:1433 tcp' */
  flow: string;
}

export class AuditLog {
  private readonly time = new Float64Array(AUDIT_CAPACITY);
  private readonly words = new Int32Array(AUDIT_CAPACITY * 4);
  /** bit 0: inbound, bit 1: deny. */
  private readonly flags = new Uint8Array(AUDIT_CAPACITY);
  private readonly rules: (VfpRule | null)[] = new Array(AUDIT_CAPACITY).fill(null);
  private readonly groups: string[] = new Array(AUDIT_CAPACITY).fill('');
  /** Rows ever recorded (the ring keeps the last AUDIT_CAPACITY). */
  total = 0;

  record(now: number, rule: VfpRule, group: string, inbound: boolean, p: Parsed): void {
    const i = this.total % AUDIT_CAPACITY;
    this.total++;
    this.time[i] = now;
    const w = i * 4;
    this.words[w] = p.proto;
    this.words[w + 1] = p.ipSrc | 0;
    this.words[w + 2] = p.ipDst | 0;
    this.words[w + 3] = portsWord(p) | 0;
    let deny = false;
    for (const a of rule.actions) if (a.type === 'drop') deny = true;
    this.flags[i] = (inbound ? 1 : 0) | (deny ? 2 : 0);
    this.rules[i] = rule;
    this.groups[i] = group;
  }

  clear(): void {
    this.total = 0;
    this.rules.fill(null);
  }

  /** The kept rows, oldest first. */
  view(): AuditRow[] {
    const n = Math.min(this.total, AUDIT_CAPACITY);
    const out: AuditRow[] = [];
    for (let k = this.total - n; k < this.total; k++) {
      const i = k % AUDIT_CAPACITY;
      const rule = this.rules[i];
      if (!rule) continue;
      const w = i * 4;
      out.push({
        time: this.time[i],
        ruleId: rule.id,
        rule: rule.name ?? rule.id,
        origin: rule.origin,
        layer: 'acl',
        group: this.groups[i],
        direction: this.flags[i] & 1 ? 'in' : 'out',
        action: this.flags[i] & 2 ? 'deny' : 'allow',
        flow: tupleText(
          this.words[w],
          this.words[w + 1] >>> 0,
          this.words[w + 2] >>> 0,
          this.words[w + 3] >>> 0,
        ),
      });
    }
    return out;
  }
}
