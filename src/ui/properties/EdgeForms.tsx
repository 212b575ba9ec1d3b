// The SDN edge in the properties panel: a load balancer (VIP, backend pool, rules, probes),
// a virtual gateway (its connections), and the plain fields of RAS gateway VMs, SLB MUXes,
// sites and external endpoints. Every edit is one named, undoable action; validation messages
// show next to the field they name.
import type { Gateway, GatewayConnection, GatewayPool, Site } from '../../engine/model/gatewaySchema';
import type { ExternalEndpoint, LoadBalancer, SlbMux, TopologyDocument } from '../../engine/model/schema';
import {
  addGatewayConnection,
  addLbNatRule,
  addLbProbe,
  addLbRule,
  type ConnectionPatch,
  type EdgeCollection,
  type EdgeUpdateArgs,
  type LbNatKind,
  removeGatewayConnection,
  removeLbNatRule,
  removeLbProbe,
  removeLbRule,
  setBackendMember,
  updateEdgeObject,
  updateGatewayConnection,
  updateLbNatRule,
  updateLbProbe,
  updateLbRule,
} from '../actions/edge';
import { setProbeFailing } from '../actions/slb';
import { useDocumentStore } from '../store/document';
import { type Errors, fieldErrors } from './edit';
import { FieldList, type FieldSpec, type Option } from './FieldList';
import {
  CellInput,
  EditRow,
  FieldErrors,
  NumberField,
  Section,
  SelectField,
  SmallButton,
  TextField,
  useDraft,
} from './fields';

const perform = () => useDocumentStore.getState().perform;

/** One field of an edge object; typing into the same field is one undo step. */
function editEdge(collection: EdgeCollection, id: string, field: string, value: unknown) {
  perform()(updateEdgeObject, { collection, id, patch: { [field]: value } } as EdgeUpdateArgs, {
    coalesceKey: `${id}.${field}`,
  });
}

const name = { field: 'name', label: 'Name', kind: 'text' } as const;
const linkOptions = (doc: TopologyDocument): Option[] =>
  doc.logicalSubnets.map((s) => ({ value: s.id, label: `${s.name} (${s.prefix})` }));
const hostOptions = (doc: TopologyDocument): Option[] =>
  doc.hosts.map((h) => ({ value: h.id, label: h.name }));
const listText = (value: unknown) => (Array.isArray(value) ? value.join(', ') : '');
const parseList = (text: string) => text.split(/[\s,]+/).filter((p) => p !== '');

const poolOptions = (doc: TopologyDocument): Option[] =>
  (doc.gatewayPools ?? []).map((p) => ({ value: p.id, label: p.name }));

const gatewayFields: FieldSpec<Gateway>[] = [
  name,
  { field: 'hostId', label: 'Host', kind: 'select', options: hostOptions },
  { field: 'poolId', label: 'Pool', ariaLabel: 'Gateway pool', kind: 'select', options: poolOptions },
  { field: 'providerAddress', label: 'PA', ariaLabel: 'Provider address', kind: 'text', mono: true },
  { field: 'mac', label: 'MAC', kind: 'text', mono: true },
  { field: 'externalLogicalSubnetId', label: 'External link', kind: 'select', options: linkOptions },
  { field: 'externalIp', label: 'External IP', kind: 'text', mono: true },
  { field: 'externalMac', label: 'External MAC', kind: 'text', mono: true },
];

/** A gateway pool (NC gatewayPools): which connection types its gateways serve. */
const poolFields: FieldSpec<GatewayPool>[] = [
  name,
  {
    field: 'type',
    label: 'Type',
    ariaLabel: 'Pool type',
    kind: 'select',
    options: () => [
      { value: 'All', label: 'All (IPsec, GRE, L3)' },
      { value: 'S2sIpSec', label: 'S2sIpSec' },
      { value: 'S2sGre', label: 'S2sGre' },
      { value: 'Forwarding', label: 'Forwarding (L3)' },
    ],
  },
];

const muxFields: FieldSpec<SlbMux>[] = [
  name,
  { field: 'hostId', label: 'Host', kind: 'select', options: hostOptions },
  { field: 'ip', label: 'IP', kind: 'text', mono: true },
  { field: 'mac', label: 'MAC', kind: 'text', mono: true },
  { field: 'asn', label: 'BGP ASN', kind: 'number' },
];

const siteFields: FieldSpec<Site>[] = [
  name,
  {
    field: 'kind',
    label: 'Kind',
    kind: 'segmented',
    options: [
      { value: 'on-premises', label: 'On-premises' },
      { value: 'internet', label: 'Internet' },
    ],
  },
  { field: 'logicalSubnetId', label: 'Link', kind: 'select', options: linkOptions },
  { field: 'edgeIp', label: 'Edge IP', kind: 'text', mono: true },
  { field: 'edgeMac', label: 'Edge MAC', kind: 'text', mono: true },
  { field: 'prefixes', label: 'Prefixes', kind: 'text', mono: true, format: listText, parse: parseList },
  {
    field: 'hosts',
    label: 'Hosts',
    ariaLabel: 'Hosts that answer',
    kind: 'text',
    mono: true,
    placeholder: 'any address in the prefixes',
    format: listText,
    parse: (t) => (parseList(t).length === 0 ? undefined : parseList(t)),
  },
];

const endpointFields: FieldSpec<ExternalEndpoint>[] = [
  name,
  { field: 'logicalSubnetId', label: 'Link', kind: 'select', options: linkOptions },
  { field: 'ip', label: 'IP', kind: 'text', mono: true },
  { field: 'mac', label: 'MAC', kind: 'text', mono: true },
];

export function EdgeObjectForm({
  doc,
  collection,
  id,
  errors,
}: {
  doc: TopologyDocument;
  collection: EdgeCollection;
  id: string;
  errors: Errors;
}) {
  const simple = <T extends { id: string }>(
    title: string,
    object: T | undefined,
    specs: FieldSpec<T>[],
    note?: string,
  ) =>
    object ? (
      <Section title={title}>
        <FieldList
          doc={doc}
          object={object}
          specs={specs}
          errors={errors}
          edit={(field, value) => editEdge(collection, object.id, field, value)}
        />
        {note ? <p className="py-1 text-[12px] text-slate-500 dark:text-slate-400">{note}</p> : null}
      </Section>
    ) : null;
  switch (collection) {
    case 'loadBalancers': {
      const lb = doc.loadBalancers?.find((o) => o.id === id);
      return lb ? <LoadBalancerForm doc={doc} lb={lb} errors={errors} /> : null;
    }
    case 'virtualGateways': {
      const vg = doc.virtualGateways?.find((o) => o.id === id);
      return vg ? <VirtualGatewayForm doc={doc} id={vg.id} errors={errors} /> : null;
    }
    case 'gateways': {
      const gateway = doc.gateways?.find((o) => o.id === id);
      const pool = doc.gatewayPools?.find((p) => p.id === gateway?.poolId);
      return (
        <>
          {simple(
            'RAS gateway VM',
            gateway,
            gatewayFields,
            'Its internal NIC takes tenant traffic in VXLAN/NVGRE at its PA; its external NIC carries the public IP on the external link.',
          )}
          {pool ? (
            <Section title="Its gateway pool">
              <FieldList
                doc={doc}
                object={pool}
                specs={poolFields}
                errors={errors}
                edit={(field, value) => editEdge('gatewayPools', pool.id, field, value)}
              />
            </Section>
          ) : null}
        </>
      );
    }
    case 'gatewayPools':
      return simple(
        'Gateway pool',
        doc.gatewayPools?.find((o) => o.id === id),
        poolFields,
      );
    case 'slbMuxes':
      return simple(
        'SLB MUX',
        doc.slbMuxes?.find((o) => o.id === id),
        muxFields,
        'Announces every VIP to the L3 routers over BGP (as data), hashes each new flow to a healthy DIP and tunnels it to the DIP’s host.',
      );
    case 'sites':
      return simple(
        'Site',
        doc.sites?.find((o) => o.id === id),
        siteFields,
      );
    case 'externalEndpoints':
      return simple(
        'External endpoint',
        doc.externalEndpoints?.find((o) => o.id === id),
        endpointFields,
        'A device beyond the router (a client on the internet): pick it as a trace source.',
      );
  }
}

/** A small whole-number cell: commits once it parses; the validator's messages show below the row. */
function NumberCell({
  value,
  onChange,
  ariaLabel,
  invalid,
}: {
  value: number;
  onChange: (v: number) => void;
  ariaLabel: string;
  invalid: boolean;
}) {
  const [draft, setDraft, focus] = useDraft(String(value));
  const bad = invalid || !/^\d+$/.test(draft.trim());
  return (
    <input
      aria-label={ariaLabel}
      aria-invalid={bad}
      inputMode="numeric"
      value={draft}
      onChange={(e) => {
        setDraft(e.target.value);
        const t = e.target.value.trim();
        if (/^\d+$/.test(t)) onChange(Number(t));
      }}
      {...focus}
      className={`w-16 rounded border bg-white px-1 py-0.5 font-mono text-[12px] dark:bg-slate-800 ${
        bad ? 'border-red-500' : 'border-slate-300 dark:border-slate-600'
      }`}
    />
  );
}

const selectClass =
  'rounded border border-slate-300 bg-white px-0.5 py-0.5 text-[12px] dark:border-slate-600 dark:bg-slate-800';

function vnicLabel(doc: TopologyDocument, vnicId: string): { name: string; ip: string } {
  for (const vm of doc.vms)
    for (const nic of vm.nics)
      if (nic.id === vnicId) {
        const subnet = doc.virtualSubnets.find((s) => s.id === nic.virtualSubnetId);
        const net = doc.vmNetworks.find((n) => n.id === subnet?.vmNetworkId);
        const tenant = doc.tenants.find((t) => t.id === net?.tenantId);
        const vmName = vm.nics.length > 1 ? `${vm.name}/${nic.name}` : vm.name;
        return { name: `${tenant?.name ?? '?'}/${vmName}`, ip: nic.caIp };
      }
  return { name: vnicId, ip: '' };
}

function LoadBalancerForm({ doc, lb, errors }: { doc: TopologyDocument; lb: LoadBalancer; errors: Errors }) {
  const ids = [lb.id];
  const pool = new Set(lb.backendVnicIds);
  const failing = new Set(lb.probeFailures ?? []);
  const vnics = doc.vms.flatMap((vm) => vm.nics.map((n) => n.id));
  const setRule = (ruleId: string, patch: Parameters<typeof updateLbRule.perform>[1]['patch'], key: string) =>
    perform()(updateLbRule, { loadBalancerId: lb.id, ruleId, patch }, { coalesceKey: `${ruleId}.${key}` });
  const setNat = (
    kind: LbNatKind,
    natRuleId: string,
    patch: Parameters<typeof updateLbNatRule.perform>[1]['patch'],
    key: string,
  ) =>
    perform()(
      updateLbNatRule,
      { loadBalancerId: lb.id, kind, natRuleId, patch },
      { coalesceKey: `${natRuleId}.${key}` },
    );
  const setProbe = (
    probeId: string,
    patch: Parameters<typeof updateLbProbe.perform>[1]['patch'],
    key: string,
  ) =>
    perform()(updateLbProbe, { loadBalancerId: lb.id, probeId, patch }, { coalesceKey: `${probeId}.${key}` });
  return (
    <>
      <Section title="Frontend">
        <TextField
          label="Name"
          value={lb.name}
          onChange={(v) => editEdge('loadBalancers', lb.id, 'name', v)}
          errors={fieldErrors(errors, ids, 'name')}
        />
        <TextField
          label="VIP"
          ariaLabel="Frontend VIP"
          mono
          value={lb.frontendIp}
          onChange={(v) => editEdge('loadBalancers', lb.id, 'frontendIp', v.trim())}
          errors={fieldErrors(errors, ids, 'frontendIp')}
        />
        <p className="py-1 text-[12px] text-slate-500 dark:text-slate-400">
          The MUXes announce the VIP to the routers; it must lie outside every link.
        </p>
      </Section>
      <Section title={`Backend pool (${lb.backendVnicIds.length} DIPs)`}>
        <ul className="flex flex-col gap-0.5" aria-label={`Backend pool of ${lb.name}`}>
          {vnics.map((vnicId) => {
            const { name: label, ip } = vnicLabel(doc, vnicId);
            const member = pool.has(vnicId);
            return (
              <li key={vnicId} className="flex items-center gap-2 text-[12px]">
                <label className="flex min-w-0 flex-1 items-center gap-1.5">
                  <input
                    type="checkbox"
                    aria-label={`DIP ${label}`}
                    checked={member}
                    onChange={(e) =>
                      perform()(setBackendMember, {
                        loadBalancerId: lb.id,
                        vnicId,
                        member: e.target.checked,
                      })
                    }
                    className="h-3.5 w-3.5 accent-sky-600"
                  />
                  <span className="truncate text-slate-700 dark:text-slate-200">{label}</span>
                  <span className="font-mono text-slate-500">{ip}</span>
                </label>
                {member ? (
                  <label className="flex shrink-0 items-center gap-1 text-slate-500">
                    <input
                      type="checkbox"
                      aria-label={`Probe of ${label} failing`}
                      checked={failing.has(vnicId)}
                      onChange={(e) =>
                        perform()(setProbeFailing, {
                          loadBalancerId: lb.id,
                          vnicId,
                          failing: e.target.checked,
                        })
                      }
                      className="h-3.5 w-3.5 accent-red-600"
                    />
                    probe failing
                  </label>
                ) : null}
              </li>
            );
          })}
        </ul>
        <FieldErrors
          errors={[
            ...fieldErrors(errors, ids, 'backendVnicIds'),
            ...fieldErrors(errors, ids, 'probeFailures'),
          ]}
        />
      </Section>
      <Section
        title="Load-balancing rules"
        actions={
          <SmallButton
            ariaLabel={`Add a rule to ${lb.name}`}
            onClick={() => perform()(addLbRule, { loadBalancerId: lb.id })}
          >
            + Rule
          </SmallButton>
        }
      >
        <ul className="flex flex-col gap-1.5" aria-label={`Rules of ${lb.name}`}>
          {lb.rules.map((r, i) => {
            const errs = fieldErrors(errors, ids, `rules[${i}]`);
            return (
              <EditRow key={r.id} errors={errs}>
                <div className="flex items-center gap-1">
                  <CellInput
                    ariaLabel={`Rule ${r.name} name`}
                    value={r.name}
                    onChange={(v) => setRule(r.id, { name: v }, 'name')}
                    width="w-24"
                  />
                  <select
                    aria-label={`Rule ${r.name} protocol`}
                    className={selectClass}
                    value={r.protocol}
                    onChange={(e) => setRule(r.id, { protocol: e.target.value as 'tcp' | 'udp' }, 'protocol')}
                  >
                    <option value="tcp">TCP</option>
                    <option value="udp">UDP</option>
                  </select>
                  <NumberCell
                    ariaLabel={`Rule ${r.name} frontend port`}
                    value={r.frontendPort}
                    invalid={fieldErrors(errs, ids, `rules[${i}].frontendPort`).length > 0}
                    onChange={(v) => setRule(r.id, { frontendPort: v }, 'fport')}
                  />
                  <span className="text-slate-500">→</span>
                  <NumberCell
                    ariaLabel={`Rule ${r.name} backend port`}
                    value={r.backendPort}
                    invalid={fieldErrors(errs, ids, `rules[${i}].backendPort`).length > 0}
                    onChange={(v) => setRule(r.id, { backendPort: v }, 'bport')}
                  />
                  <SmallButton
                    tone="danger"
                    ariaLabel={`Remove rule ${r.name}`}
                    onClick={() => perform()(removeLbRule, { loadBalancerId: lb.id, ruleId: r.id })}
                  >
                    ✕
                  </SmallButton>
                </div>
                <div className="mt-1 flex items-center gap-1">
                  <span className="text-slate-500">hash</span>
                  <select
                    aria-label={`Rule ${r.name} distribution`}
                    className={`${selectClass} w-24 min-w-0`}
                    value={r.loadDistribution}
                    onChange={(e) =>
                      setRule(
                        r.id,
                        {
                          loadDistribution: e.target
                            .value as LoadBalancer['rules'][number]['loadDistribution'],
                        },
                        'dist',
                      )
                    }
                  >
                    <option value="default">5-tuple</option>
                    <option value="sourceIPProtocol">3-tuple</option>
                    <option value="sourceIP">2-tuple</option>
                  </select>
                  <span className="text-slate-500">probe</span>
                  <select
                    aria-label={`Rule ${r.name} probe`}
                    className={`${selectClass} w-24 min-w-0`}
                    value={r.probeId ?? ''}
                    onChange={(e) => setRule(r.id, { probeId: e.target.value || undefined }, 'probe')}
                  >
                    <option value="">none</option>
                    {lb.probes.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                </div>
              </EditRow>
            );
          })}
        </ul>
      </Section>
      <Section
        title="Health probes"
        actions={
          <SmallButton
            ariaLabel={`Add a probe to ${lb.name}`}
            onClick={() => perform()(addLbProbe, { loadBalancerId: lb.id })}
          >
            + Probe
          </SmallButton>
        }
      >
        <ul className="flex flex-col gap-1.5" aria-label={`Probes of ${lb.name}`}>
          {lb.probes.map((p, i) => {
            const errs = fieldErrors(errors, ids, `probes[${i}]`);
            return (
              <EditRow key={p.id} errors={errs}>
                <div className="flex items-center gap-1">
                  <span className="min-w-0 flex-1 truncate font-medium text-slate-700 dark:text-slate-200">
                    {p.name}
                  </span>
                  <select
                    aria-label={`Probe ${p.name} protocol`}
                    className={selectClass}
                    value={p.protocol}
                    onChange={(e) =>
                      setProbe(p.id, { protocol: e.target.value as 'tcp' | 'http' }, 'protocol')
                    }
                  >
                    <option value="tcp">TCP</option>
                    <option value="http">HTTP</option>
                  </select>
                  <NumberCell
                    ariaLabel={`Probe ${p.name} port`}
                    value={p.port}
                    invalid={errs.some((e) => e.field.endsWith('.port'))}
                    onChange={(v) => setProbe(p.id, { port: v }, 'port')}
                  />
                  <SmallButton
                    tone="danger"
                    ariaLabel={`Remove probe ${p.name}`}
                    onClick={() => perform()(removeLbProbe, { loadBalancerId: lb.id, probeId: p.id })}
                  >
                    ✕
                  </SmallButton>
                </div>
                <div className="mt-1 flex items-center gap-1 text-slate-500">
                  every
                  <NumberCell
                    ariaLabel={`Probe ${p.name} interval`}
                    value={p.intervalInSeconds}
                    invalid={errs.some((e) => e.field.endsWith('intervalInSeconds'))}
                    onChange={(v) => setProbe(p.id, { intervalInSeconds: v }, 'interval')}
                  />
                  s, down after
                  <NumberCell
                    ariaLabel={`Probe ${p.name} count`}
                    value={p.numberOfProbes}
                    invalid={errs.some((e) => e.field.endsWith('numberOfProbes'))}
                    onChange={(v) => setProbe(p.id, { numberOfProbes: v }, 'count')}
                  />
                  misses
                </div>
              </EditRow>
            );
          })}
        </ul>
      </Section>
      <Section
        title="NAT rules"
        actions={
          <>
            <SmallButton
              ariaLabel={`Add an inbound NAT rule to ${lb.name}`}
              onClick={() => perform()(addLbNatRule, { loadBalancerId: lb.id, kind: 'inbound' })}
            >
              + Inbound
            </SmallButton>
            <SmallButton
              ariaLabel={`Add an outbound NAT rule to ${lb.name}`}
              onClick={() => perform()(addLbNatRule, { loadBalancerId: lb.id, kind: 'outbound' })}
            >
              + Outbound
            </SmallButton>
          </>
        }
      >
        <ul className="flex flex-col gap-1.5" aria-label={`NAT rules of ${lb.name}`}>
          {lb.inboundNatRules.map((r, i) => {
            const errs = fieldErrors(errors, ids, `inboundNatRules[${i}]`);
            return (
              <EditRow key={r.id} errors={errs}>
                <div className="flex items-center gap-1">
                  <span className="w-16 shrink-0 text-slate-500">inbound</span>
                  <select
                    aria-label={`Inbound NAT ${r.name} protocol`}
                    className={selectClass}
                    value={r.protocol}
                    onChange={(e) =>
                      setNat('inbound', r.id, { protocol: e.target.value as 'tcp' | 'udp' }, 'protocol')
                    }
                  >
                    <option value="tcp">TCP</option>
                    <option value="udp">UDP</option>
                  </select>
                  <NumberCell
                    ariaLabel={`Inbound NAT ${r.name} frontend port`}
                    value={r.frontendPort}
                    invalid={fieldErrors(errs, ids, `inboundNatRules[${i}].frontendPort`).length > 0}
                    onChange={(v) => setNat('inbound', r.id, { frontendPort: v }, 'fport')}
                  />
                  <SmallButton
                    tone="danger"
                    ariaLabel={`Remove inbound NAT rule ${r.name}`}
                    onClick={() =>
                      perform()(removeLbNatRule, { loadBalancerId: lb.id, kind: 'inbound', natRuleId: r.id })
                    }
                  >
                    ✕
                  </SmallButton>
                </div>
                <div className="mt-1 flex items-center gap-1">
                  <span className="text-slate-500">to</span>
                  <select
                    aria-label={`Inbound NAT ${r.name} backend vNIC`}
                    className={`${selectClass} w-32 min-w-0`}
                    value={r.backendVnicId}
                    onChange={(e) => setNat('inbound', r.id, { backendVnicId: e.target.value }, 'vnic')}
                  >
                    {vnics.map((id) => (
                      <option key={id} value={id}>
                        {vnicLabel(doc, id).name}
                      </option>
                    ))}
                  </select>
                  <NumberCell
                    ariaLabel={`Inbound NAT ${r.name} backend port`}
                    value={r.backendPort}
                    invalid={fieldErrors(errs, ids, `inboundNatRules[${i}].backendPort`).length > 0}
                    onChange={(v) => setNat('inbound', r.id, { backendPort: v }, 'bport')}
                  />
                </div>
              </EditRow>
            );
          })}
          {lb.outboundNatRules.map((r, i) => {
            const errs = fieldErrors(errors, ids, `outboundNatRules[${i}]`);
            return (
              <EditRow key={r.id} errors={errs}>
                <div className="flex items-center gap-1">
                  <span className="w-16 shrink-0 text-slate-500">outbound</span>
                  <select
                    aria-label={`Outbound NAT ${r.name} protocol`}
                    className={selectClass}
                    value={r.protocol}
                    onChange={(e) =>
                      setNat(
                        'outbound',
                        r.id,
                        { protocol: e.target.value as 'all' | 'tcp' | 'udp' },
                        'protocol',
                      )
                    }
                  >
                    <option value="all">all</option>
                    <option value="tcp">TCP</option>
                    <option value="udp">UDP</option>
                  </select>
                  <NumberCell
                    ariaLabel={`Outbound NAT ${r.name} first port`}
                    value={r.portRangeStart}
                    invalid={fieldErrors(errs, ids, `outboundNatRules[${i}].portRangeStart`).length > 0}
                    onChange={(v) => setNat('outbound', r.id, { portRangeStart: v }, 'start')}
                  />
                  <span className="text-slate-500">-</span>
                  <NumberCell
                    ariaLabel={`Outbound NAT ${r.name} last port`}
                    value={r.portRangeEnd}
                    invalid={fieldErrors(errs, ids, `outboundNatRules[${i}].portRangeEnd`).length > 0}
                    onChange={(v) => setNat('outbound', r.id, { portRangeEnd: v }, 'end')}
                  />
                  <SmallButton
                    tone="danger"
                    ariaLabel={`Remove outbound NAT rule ${r.name}`}
                    onClick={() =>
                      perform()(removeLbNatRule, { loadBalancerId: lb.id, kind: 'outbound', natRuleId: r.id })
                    }
                  >
                    ✕
                  </SmallButton>
                </div>
              </EditRow>
            );
          })}
          {lb.inboundNatRules.length + lb.outboundNatRules.length === 0 ? (
            <li className="text-slate-500">none</li>
          ) : null}
        </ul>
        <FieldErrors
          errors={[
            ...fieldErrors(errors, ids, 'inboundNatRules').filter(
              (e) => !e.field.startsWith('inboundNatRules['),
            ),
            ...fieldErrors(errors, ids, 'outboundNatRules').filter(
              (e) => !e.field.startsWith('outboundNatRules['),
            ),
          ]}
        />
      </Section>
    </>
  );
}

const CONNECTION_TYPES: { value: GatewayConnection['type']; label: string }[] = [
  { value: 'gre', label: 'GRE' },
  { value: 'ipsec', label: 'IPsec' },
  { value: 'nat', label: 'NAT' },
  { value: 'l3', label: 'L3' },
];

function VirtualGatewayForm({ doc, id, errors }: { doc: TopologyDocument; id: string; errors: Errors }) {
  const vg = doc.virtualGateways?.find((o) => o.id === id);
  if (!vg) return null;
  const net = doc.vmNetworks.find((n) => n.id === vg.vmNetworkId);
  const siteOptions = (doc.sites ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.edgeIp})` }));
  const vlanSubnetOptions = doc.logicalSubnets
    .filter((l) => l.vlanId > 0)
    .map((l) => ({ value: l.id, label: `${l.name} (VLAN ${l.vlanId}, ${l.prefix})` }));
  return (
    <>
      <Section title="Virtual gateway">
        <TextField
          label="Name"
          value={vg.name}
          onChange={(v) => editEdge('virtualGateways', vg.id, 'name', v)}
          errors={fieldErrors(errors, [vg.id], 'name')}
        />
        <SelectField
          label="Gateway VM"
          value={vg.gatewayId}
          options={(doc.gateways ?? []).map((g) => ({ value: g.id, label: g.name }))}
          onChange={(v) => editEdge('virtualGateways', vg.id, 'gatewayId', v)}
          errors={fieldErrors(errors, [vg.id], 'gatewayId')}
        />
        <p className="py-1 text-[12px] text-slate-500 dark:text-slate-400">
          The compartment of VM network {net?.name ?? vg.vmNetworkId} on its gateway VM: a packet for an
          address outside the VM network takes the default route (0.0.0.0/0) here.
        </p>
      </Section>
      <Section
        title="Connections"
        actions={
          <select
            aria-label={`Add a connection to ${vg.name}`}
            className={selectClass}
            value=""
            onChange={(e) =>
              e.target.value &&
              perform()(addGatewayConnection, {
                virtualGatewayId: vg.id,
                type: e.target.value as GatewayConnection['type'],
              })
            }
          >
            <option value="">+ Connection…</option>
            {CONNECTION_TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        }
      >
        <ul className="flex flex-col gap-2" aria-label={`Connections of ${vg.name}`}>
          {vg.connections.map((c, i) => {
            const at = `connections[${i}]`;
            const errs = (field: string) => fieldErrors(errors, [vg.id, c.id], `${at}.${field}`);
            const set = (patch: ConnectionPatch, key: string) =>
              perform()(
                updateGatewayConnection,
                { virtualGatewayId: vg.id, connectionId: c.id, patch },
                { coalesceKey: `${c.id}.${key}` },
              );
            const label = (field: string) => `${c.name} ${field}`;
            const routes =
              c.type === 'nat' ? null : (
                <TextField
                  label="Routes"
                  ariaLabel={label('routes')}
                  mono
                  placeholder="none (BGP or the default route)"
                  value={c.routes.join(', ')}
                  onChange={(v) => set({ routes: parseList(v) }, 'routes')}
                  errors={errs('routes')}
                />
              );
            return (
              <li
                key={c.id}
                aria-label={`Connection ${c.name}`}
                className="rounded border border-slate-200 p-1.5 dark:border-slate-700"
              >
                <div className="flex items-center justify-between">
                  <span className="rounded bg-slate-200 px-1.5 text-[11px] font-semibold uppercase text-slate-700 dark:bg-slate-700 dark:text-slate-200">
                    {CONNECTION_TYPES.find((t) => t.value === c.type)?.label ?? c.type}
                  </span>
                  <SmallButton
                    tone="danger"
                    ariaLabel={`Remove connection ${c.name}`}
                    onClick={() =>
                      perform()(removeGatewayConnection, { virtualGatewayId: vg.id, connectionId: c.id })
                    }
                  >
                    ✕
                  </SmallButton>
                </div>
                <TextField
                  label="Name"
                  ariaLabel={label('name')}
                  value={c.name}
                  onChange={(v) => set({ name: v }, 'name')}
                  errors={errs('name')}
                />
                {c.type === 'gre' || c.type === 'ipsec' ? (
                  <SelectField
                    label="Site"
                    ariaLabel={label('site')}
                    value={c.siteId}
                    options={siteOptions}
                    onChange={(v) => set({ siteId: v }, 'site')}
                    errors={errs('siteId')}
                  />
                ) : null}
                {c.type === 'gre' ? (
                  <NumberField
                    label="GRE key"
                    ariaLabel={label('GRE key')}
                    value={c.greKey}
                    onChange={(v) => set({ greKey: v }, 'key')}
                    errors={errs('greKey')}
                  />
                ) : null}
                {c.type === 'ipsec' ? (
                  <>
                    <NumberField
                      label="SPI out"
                      ariaLabel={label('outbound SPI')}
                      value={c.spiOut}
                      onChange={(v) => set({ spiOut: v }, 'spiOut')}
                      errors={errs('spiOut')}
                    />
                    <NumberField
                      label="SPI in"
                      ariaLabel={label('inbound SPI')}
                      value={c.spiIn}
                      onChange={(v) => set({ spiIn: v }, 'spiIn')}
                      errors={errs('spiIn')}
                    />
                  </>
                ) : null}
                {c.type === 'l3' ? (
                  <>
                    <SelectField
                      label="VLAN subnet"
                      ariaLabel={label('VLAN subnet')}
                      value={c.logicalSubnetId}
                      options={vlanSubnetOptions}
                      onChange={(v) => {
                        const ls = doc.logicalSubnets.find((l) => l.id === v);
                        set({ logicalSubnetId: v, ...(ls ? { vlanId: ls.vlanId } : {}) }, 'vlan-subnet');
                      }}
                      errors={errs('logicalSubnetId')}
                    />
                    <NumberField
                      label="VLAN"
                      ariaLabel={label('VLAN')}
                      value={c.vlanId}
                      onChange={(v) => set({ vlanId: v }, 'vlan')}
                      errors={errs('vlanId')}
                    />
                    <TextField
                      label="L3 interface IP"
                      ariaLabel={label('L3 interface IP')}
                      mono
                      value={c.localIp}
                      onChange={(v) => set({ localIp: v.trim() }, 'local')}
                      errors={errs('localIp')}
                    />
                    <NumberField
                      label="Prefix length"
                      ariaLabel={label('prefix length')}
                      value={c.prefixLength}
                      onChange={(v) => set({ prefixLength: v }, 'prefix-length')}
                      errors={errs('prefixLength')}
                    />
                    <TextField
                      label="Peer IP"
                      ariaLabel={label('peer IP')}
                      mono
                      value={c.peerIp}
                      onChange={(v) => set({ peerIp: v.trim() }, 'peer')}
                      errors={errs('peerIp')}
                    />
                  </>
                ) : null}
                {c.type === 'nat' ? (
                  <>
                    <TextField
                      label="Public IP"
                      ariaLabel={label('public IP')}
                      mono
                      placeholder="the gateway's external IP"
                      value={c.publicIp ?? ''}
                      onChange={(v) => set({ publicIp: v.trim() || undefined }, 'public')}
                      errors={errs('publicIp')}
                    />
                    <NumberField
                      label="Ports from"
                      ariaLabel={label('first port')}
                      value={c.portRangeStart}
                      onChange={(v) => set({ portRangeStart: v }, 'start')}
                      errors={errs('portRangeStart')}
                    />
                    <NumberField
                      label="Ports to"
                      ariaLabel={label('last port')}
                      value={c.portRangeEnd}
                      onChange={(v) => set({ portRangeEnd: v }, 'end')}
                      errors={errs('portRangeEnd')}
                    />
                  </>
                ) : null}
                {routes}
                <FieldErrors
                  errors={fieldErrors(errors, [vg.id, c.id], at).filter(
                    (e) => e.field === at || e.field === `${at}.id`,
                  )}
                />
              </li>
            );
          })}
          {vg.connections.length === 0 ? (
            <li className="text-[12px] italic text-slate-500">No connections yet.</li>
          ) : null}
        </ul>
      </Section>
      {vg.bgpRoutes?.length ? (
        <Section title="BGP routes (learnt)">
          <ul className="flex flex-col gap-0.5 font-mono text-[12px] text-slate-600 dark:text-slate-300">
            {vg.bgpRoutes.map((r) => (
              <li key={`${r.prefix}-${r.connectionId}`}>
                {r.prefix} via {r.peerIp} (AS {r.peerAsn}) over{' '}
                {vg.connections.find((c) => c.id === r.connectionId)?.name ?? r.connectionId}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}
