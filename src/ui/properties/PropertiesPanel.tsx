// The properties panel: every field of the selected object, with the engine's
// validation messages next to the field they name. The simple fields of each kind are
// data (objectFields.ts); the forms here add what is not a plain field.
import type {
  CollectionName,
  LogicalSubnet,
  TopologyDocument,
  VirtualSubnet,
  VmNetwork,
} from '../../engine/model/schema';
import {
  derivedGatewayMac,
  formatMac,
  ipMtuOfFrameSize,
  JUMBO_FRAME_BYTES,
  parseMac,
} from '../../engine/net';
import { scenarioById } from '../../scenarios';
import { engine } from '../../worker/client';
import { workerAllocator } from '../actions/allocate';
import { deleteSelection } from '../actions/commands';
import { DELETABLE_EDGE, EDGE_KINDS, findEdgeCollection } from '../actions/edge';
import { setPolicySource, updateDocument } from '../actions/update';
import { findCollection } from '../actions/util';
import { colorForRoutingDomain, colorForVsid } from '../colors';
import { useDocumentStore } from '../store/document';
import { AclEditor, AclPicker } from './AclEditor';
import { EdgeObjectForm } from './EdgeForms';
import { type Errors, fieldErrors, update } from './edit';
import { ObjectFields } from './FieldList';
import { FieldErrors, Section, Segmented, SmallButton, TextField } from './fields';
import { HostForm } from './HostForm';
import {
  logicalNetworkFields,
  logicalSubnetFields,
  tenantFields,
  virtualSubnetCarriageFields,
  virtualSubnetIdentityFields,
  vmNetworkFields,
} from './objectFields';
import { RouterForm } from './RouterForm';
import { PeeringsEditor, RouteTableEditor, RouteTablePicker } from './RoutingForms';
import { VmForm } from './VmForm';

const KIND_LABEL: Record<CollectionName, string> = {
  tenants: 'Tenant',
  vmNetworks: 'VM network',
  virtualSubnets: 'Virtual subnet',
  acls: 'ACL',
  vms: 'Virtual machine',
  hosts: 'Hyper-V host',
  logicalNetworks: 'Logical network',
  logicalSubnets: 'Logical subnet',
  routers: 'L3 router',
};

export function PropertiesPanel() {
  const doc = useDocumentStore((s) => s.doc);
  const selection = useDocumentStore((s) => s.selection);
  const errors = useDocumentStore((s) => s.validation.errors);

  if (selection.length === 0) return <DocumentProperties doc={doc} errors={errors} />;
  if (selection.length > 1) {
    return (
      <div className="p-3 text-[13px]">
        <p className="mb-2 font-medium text-slate-800 dark:text-slate-100">
          {selection.length} objects selected
        </p>
        <ul className="mb-3 text-slate-600 dark:text-slate-300">
          {selection.map((id) => (
            <li key={id}>{nameOf(doc, id)}</li>
          ))}
        </ul>
        <SmallButton tone="danger" onClick={() => deleteSelection()}>
          Delete selection
        </SmallButton>
      </div>
    );
  }
  const id = selection[0];
  const collection = findCollection(doc, id);
  if (!collection) {
    const edge = findEdgeCollection(doc, id);
    if (!edge) return null;
    return (
      <section className="flex flex-col pb-6" aria-label="Properties">
        <header className="flex items-center justify-between px-3 pb-1 pt-3">
          <div>
            <div className="text-[11px] font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">
              {EDGE_KINDS[edge]}
            </div>
            <div className="text-[15px] font-semibold text-slate-900 dark:text-slate-50">
              {nameOf(doc, id)}
            </div>
          </div>
          {DELETABLE_EDGE.includes(edge) ? (
            <SmallButton tone="danger" ariaLabel="Delete selected object" onClick={() => deleteSelection()}>
              Delete
            </SmallButton>
          ) : null}
        </header>
        <EdgeObjectForm doc={doc} collection={edge} id={id} errors={errors} />
      </section>
    );
  }
  return (
    <section className="flex flex-col pb-6" aria-label="Properties">
      <header className="flex items-center justify-between px-3 pb-1 pt-3">
        <div>
          <div className="text-[11px] font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">
            {KIND_LABEL[collection]}
          </div>
          <div className="text-[15px] font-semibold text-slate-900 dark:text-slate-50">{nameOf(doc, id)}</div>
        </div>
        <SmallButton tone="danger" ariaLabel="Delete selected object" onClick={() => deleteSelection()}>
          Delete
        </SmallButton>
      </header>
      <ObjectForm doc={doc} collection={collection} id={id} errors={errors} />
    </section>
  );
}

function nameOf(doc: TopologyDocument, id: string): string {
  const collection = findCollection(doc, id) ?? findEdgeCollection(doc, id);
  if (!collection) return id;
  return ((doc[collection] ?? []) as { id: string; name: string }[]).find((o) => o.id === id)?.name ?? id;
}

function ObjectForm({
  doc,
  collection,
  id,
  errors,
}: {
  doc: TopologyDocument;
  collection: CollectionName;
  id: string;
  errors: Errors;
}) {
  switch (collection) {
    case 'tenants': {
      const t = doc.tenants.find((o) => o.id === id)!;
      return (
        <Section title="General">
          <ObjectFields doc={doc} collection="tenants" object={t} specs={tenantFields} errors={errors} />
          <p className="py-1 text-[12px] text-slate-500 dark:text-slate-400">
            VM networks:{' '}
            {doc.vmNetworks
              .filter((n) => n.tenantId === id)
              .map((n) => n.name)
              .join(', ') || 'none yet — drop one onto the tenant'}
          </p>
        </Section>
      );
    }
    case 'vmNetworks':
      return <VmNetworkForm doc={doc} net={doc.vmNetworks.find((o) => o.id === id)!} errors={errors} />;
    case 'virtualSubnets':
      return (
        <VirtualSubnetForm doc={doc} subnet={doc.virtualSubnets.find((o) => o.id === id)!} errors={errors} />
      );
    case 'vms':
      return <VmForm doc={doc} vm={doc.vms.find((o) => o.id === id)!} errors={errors} />;
    case 'hosts':
      return <HostForm doc={doc} host={doc.hosts.find((o) => o.id === id)!} errors={errors} />;
    case 'logicalSubnets':
      return (
        <LogicalSubnetForm doc={doc} subnet={doc.logicalSubnets.find((o) => o.id === id)!} errors={errors} />
      );
    case 'routers':
      return <RouterForm doc={doc} router={doc.routers.find((o) => o.id === id)!} errors={errors} />;
    case 'acls':
      return <AclEditor acl={doc.acls.find((o) => o.id === id)!} errors={errors} />;
    case 'logicalNetworks': {
      const n = doc.logicalNetworks.find((o) => o.id === id)!;
      return (
        <Section title="Logical network">
          <ObjectFields
            doc={doc}
            collection="logicalNetworks"
            object={n}
            specs={logicalNetworkFields}
            errors={errors}
          />
        </Section>
      );
    }
  }
}

function VmNetworkForm({ doc, net, errors }: { doc: TopologyDocument; net: VmNetwork; errors: Errors }) {
  return (
    <>
      <Section title="Routing domain">
        <ObjectFields
          doc={doc}
          collection="vmNetworks"
          object={net}
          specs={vmNetworkFields}
          errors={errors}
        />
        <div className="flex items-center gap-2 py-1 pl-[104px] text-[12px] text-slate-500">
          <span
            className="h-3 w-3 rounded-sm"
            style={{ background: colorForRoutingDomain(net.routingDomainId, doc) }}
          />
          colour of this routing domain
          <SmallButton
            onClick={async () => {
              const rdid = await workerAllocator.newRoutingDomainId(useDocumentStore.getState().doc);
              update('vmNetworks', net.id, 'routingDomainId', rdid);
            }}
          >
            New RDID
          </SmallButton>
        </div>
        <p className="py-1 text-[12px] text-slate-500 dark:text-slate-400">
          Its distributed router is the default gateway (lowest address) of each of its virtual subnets and
          routes only between them, and into the VM networks it peers with.
        </p>
      </Section>
      <PeeringsEditor doc={doc} net={net} errors={errors} />
    </>
  );
}

function VirtualSubnetForm({
  doc,
  subnet,
  errors,
}: {
  doc: TopologyDocument;
  subnet: VirtualSubnet;
  errors: Errors;
}) {
  const ids = [subnet.id];
  const acl = doc.acls.find((a) => a.id === subnet.aclId);
  const vlan = subnet.isolation === 'vlan';
  return (
    <>
      <Section title="General">
        <ObjectFields
          doc={doc}
          collection="virtualSubnets"
          object={subnet}
          specs={virtualSubnetIdentityFields}
          errors={errors}
        />
        <div className="flex items-center gap-2 pb-1 pl-[104px] text-[12px] text-slate-500">
          <span className="h-3 w-3 rounded-sm" style={{ background: colorForVsid(subnet.vsid, doc) }} />
          {vlan
            ? 'not on the wire: the 802.1Q tag isolates this subnet'
            : 'carried as the VXLAN VNI / NVGRE key'}
        </div>
        <ObjectFields
          doc={doc}
          collection="virtualSubnets"
          object={subnet}
          specs={virtualSubnetCarriageFields}
          errors={errors}
        />
        {vlan ? null : (
          <TextField
            label="Gateway MAC"
            mono
            placeholder={derivedGatewayMac(subnet.vsid)}
            value={subnet.gatewayMac ?? ''}
            onChange={(v) => update('virtualSubnets', subnet.id, 'gatewayMac', gatewayMacOfText(v))}
            errors={fieldErrors(errors, ids, 'gatewayMac')}
          />
        )}
        <AclPicker
          doc={doc}
          label="ACL"
          value={subnet.aclId}
          attach={{ kind: 'subnet', id: subnet.id }}
          onChange={(aclId) => update('virtualSubnets', subnet.id, 'aclId', aclId)}
        />
        <FieldErrors errors={fieldErrors(errors, ids, 'aclId')} />
        {vlan ? null : <RouteTablePicker doc={doc} subnet={subnet} errors={errors} />}
      </Section>
      {acl ? <AclEditor acl={acl} errors={errors} /> : null}
      {subnet.routeTableId ? (
        <RouteTableEditor doc={doc} tableId={subnet.routeTableId} errors={errors} />
      ) : null}
    </>
  );
}

/** What the gateway MAC field holds: empty = derived (absent); a MAC in any usual spelling, as the lab writes it. */
function gatewayMacOfText(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const bytes = parseMac(t);
  return bytes ? formatMac(bytes) : t;
}

function LogicalSubnetForm({
  doc,
  subnet,
  errors,
}: {
  doc: TopologyDocument;
  subnet: LogicalSubnet;
  errors: Errors;
}) {
  const hosts = doc.hosts.filter((h) => h.logicalSubnetId === subnet.id);
  return (
    <Section title="Addressing">
      <ObjectFields
        doc={doc}
        collection="logicalSubnets"
        object={subnet}
        specs={logicalSubnetFields}
        errors={errors}
      />
      <p className="py-1 text-[12px] text-slate-500 dark:text-slate-400">
        {hosts.length === 0
          ? 'No host takes its PAs from this subnet yet.'
          : `Hosts: ${hosts.map((h) => h.name).join(', ')}.`}{' '}
        <span data-testid="mtu-note">
          The IP MTU is the largest IP packet on this subnet, not the frame size: jumbo frames of{' '}
          {JUMBO_FRAME_BYTES} bytes are IP MTU {ipMtuOfFrameSize(JUMBO_FRAME_BYTES)}
          {subnet.mtu < 1600 ? '. Without them, encapsulated packets near 1500 bytes will not fit.' : '.'}
        </span>
      </p>
    </Section>
  );
}

async function choosePolicySource(doc: TopologyDocument, source: 'controller' | 'powershell'): Promise<void> {
  const { perform, notify } = useDocumentStore.getState();
  if (source === 'controller') {
    perform(setPolicySource, { source });
    return;
  }
  try {
    const records = await engine.lookupRecordsToSet(doc);
    if (useDocumentStore.getState().doc !== doc) return; // edited meanwhile: the user can pick again
    perform(setPolicySource, { source, records });
  } catch (e) {
    notify('error', `Could not hand the policy to PowerShell: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function DocumentProperties({ doc, errors }: { doc: TopologyDocument; errors: Errors }) {
  const perform = useDocumentStore.getState().perform;
  const select = useDocumentStore.getState().select;
  const scenarioId = useDocumentStore((s) => s.scenarioId);
  const view = useDocumentStore((s) => s.view);
  const scenario = scenarioById(scenarioId);
  return (
    <section className="flex flex-col pb-6" aria-label="Properties">
      <header className="px-3 pb-1 pt-3">
        <div className="text-[11px] font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">
          Datacenter
        </div>
        <div className="text-[15px] font-semibold text-slate-900 dark:text-slate-50">{doc.name}</div>
      </header>
      {scenario ? (
        <section data-testid="scenario-brief" aria-label={`About this scenario: ${scenario.title}`}>
          <Section title="About this scenario">
            <p className="text-[12.5px] leading-relaxed text-slate-700 dark:text-slate-300">
              {scenario.description}
            </p>
          </Section>
          <Section title="Things to try">
            <ol className="flex list-decimal flex-col gap-1.5 pl-5 text-[12.5px] leading-snug text-slate-700 dark:text-slate-300">
              {scenario.tryThis.map((t) => (
                <li key={t} data-testid="try-this">
                  {t}
                </li>
              ))}
            </ol>
          </Section>
        </section>
      ) : (
        <GettingStarted view={view} doc={doc} />
      )}
      <Section title="Document">
        <TextField
          label="Name"
          value={doc.name}
          onChange={(v) => perform(updateDocument, { patch: { name: v } }, { coalesceKey: 'doc.name' })}
        />
        <Segmented
          label="HNV mode"
          value={doc.hnvMode}
          options={[
            { value: 'v2', label: 'v2 · VXLAN' },
            { value: 'v1', label: 'v1 · NVGRE' },
          ]}
          onChange={(v) => perform(updateDocument, { patch: { hnvMode: v } })}
        />
        {doc.hnvMode === 'v1' && (
          <>
            <Segmented
              label="Policy set by"
              value={doc.policySource ?? 'controller'}
              options={[
                { value: 'controller', label: 'SCVMM' },
                { value: 'powershell', label: 'PowerShell' },
              ]}
              onChange={(v) => void choosePolicySource(doc, v)}
            />
            <p
              className="py-1 text-[12px] text-slate-500 dark:text-slate-400"
              data-testid="policy-source-note"
            >
              {doc.policySource === 'powershell'
                ? `The hosts hold the ${doc.lookupRecords?.length ?? 0} lookup records set with New-NetVirtualizationLookupRecord. A live migration does not change them: update them in the Console (Set-NetVirtualizationLookupRecord).`
                : 'SCVMM writes every host’s lookup records from the VMs and updates them on a live migration.'}
            </p>
          </>
        )}
        <p className="py-1 text-[12px] text-slate-500 dark:text-slate-400">
          {doc.hosts.length} hosts · {doc.vms.length} VMs · {doc.tenants.length} tenants ·{' '}
          {doc.virtualSubnets.length} virtual subnets · {doc.logicalSubnets.length} PA subnets
        </p>
      </Section>
      <Section title={errors.length === 0 ? 'No problems' : `${errors.length} problems`}>
        {errors.length === 0 ? (
          <p className="text-[12px] text-slate-500">The engine accepts this datacenter.</p>
        ) : (
          <ul className="flex flex-col gap-1" aria-label="Problems">
            {errors.slice(0, 200).map((e, i) => (
              <li key={`${e.rule}-${i.toString()}`}>
                <button
                  type="button"
                  className="w-full rounded px-1 py-0.5 text-left text-[12px] text-red-700 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950/40"
                  onClick={() => {
                    const target =
                      e.objectId && findCollection(doc, e.objectId)
                        ? e.objectId
                        : ownerOfNic(doc, e.objectId);
                    if (target) select([target]);
                  }}
                >
                  {e.message}
                </button>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </section>
  );
}

/** A document of one's own (New, an import): how to build a datacenter, for the view on screen. */
function GettingStarted({ view, doc }: { view: 'physical' | 'virtual'; doc: TopologyDocument }) {
  const steps =
    view === 'physical'
      ? [
          'Drag a Logical subnet onto the canvas (the PA network), then Hyper-V hosts onto it.',
          'Add a Router and draw a link from it to each logical subnet.',
          'Tenants, VM networks and virtual subnets live in the Virtual view: switch to it with Virtual in the top bar.',
          'Drop a VM on a host (it joins a virtual subnet), then trace a ping below.',
        ]
      : [
          'Drag a Tenant onto the canvas, then a VM network onto the tenant, then a Virtual subnet onto the VM network.',
          'Hosts, logical subnets and routers live in the Physical view: switch to it with Physical in the top bar.',
          'Drop a VM on a virtual subnet (it runs on a host), then trace a ping below.',
        ];
  return (
    <div data-testid="getting-started">
      <Section title="Getting started">
        <ol className="flex list-decimal flex-col gap-1 pl-5 text-[12px] leading-relaxed text-slate-600 dark:text-slate-400">
          {steps.map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ol>
        <p className="pt-1 text-[12px] text-slate-500 dark:text-slate-400">
          {doc.hosts.length + doc.tenants.length === 0 ? 'Start with either view. ' : ''}Select an object to
          edit it here. Press <kbd>?</kbd> for shortcuts.
        </p>
      </Section>
    </div>
  );
}

function ownerOfNic(doc: TopologyDocument, nicId: string | undefined): string | undefined {
  if (!nicId) return undefined;
  return doc.vms.find((v) => v.nics.some((n) => n.id === nicId))?.id;
}
