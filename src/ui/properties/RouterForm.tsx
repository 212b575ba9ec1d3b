// An L3 router: its name and one interface (IP, MAC) per logical subnet it connects.
import type { Router, TopologyDocument } from '../../engine/model/schema';
import { connectToLogicalSubnet } from '../actions/commands';
import { disconnectRouter } from '../actions/connect';
import { updateRouterInterface } from '../actions/update';
import { useDocumentStore } from '../store/document';
import { type Errors, fieldErrors } from './edit';
import { ObjectFields } from './FieldList';
import { CellInput, FieldErrors, Section, SelectField, SmallButton } from './fields';
import { routerFields } from './objectFields';

export function RouterForm({
  doc,
  router,
  errors,
}: {
  doc: TopologyDocument;
  router: Router;
  errors: Errors;
}) {
  const ids = [router.id];
  const perform = useDocumentStore.getState().perform;
  const unconnected = doc.logicalSubnets.filter(
    (s) => !router.interfaces.some((i) => i.logicalSubnetId === s.id),
  );
  return (
    <>
      <Section title="General">
        <ObjectFields doc={doc} collection="routers" object={router} specs={routerFields} errors={errors} />
      </Section>
      <Section title="Interfaces">
        {router.interfaces.length === 0 ? (
          <p className="py-1 text-[12px] text-slate-500">
            Not connected: draw a link to a logical subnet, or pick one below.
          </p>
        ) : (
          // One card per interface, IP and MAC on their own rows: a MAC does not fit a table
          // column in the side panel.
          <ul className="flex flex-col gap-1.5 text-[12px]" aria-label={`Interfaces of ${router.name}`}>
            {router.interfaces.map((itf, i) => (
              <li
                key={itf.logicalSubnetId}
                className="rounded border border-slate-200 p-1.5 dark:border-slate-700"
              >
                <div className="flex items-center gap-1">
                  <span className="min-w-0 flex-1 truncate text-slate-700 dark:text-slate-200">
                    {doc.logicalSubnets.find((s) => s.id === itf.logicalSubnetId)?.name ?? '(missing)'}
                  </span>
                  <SmallButton
                    tone="danger"
                    ariaLabel={`Disconnect interface ${i + 1}`}
                    onClick={() =>
                      perform(disconnectRouter, {
                        routerId: router.id,
                        logicalSubnetId: itf.logicalSubnetId,
                      })
                    }
                  >
                    ×
                  </SmallButton>
                </div>
                <div className="mt-1 grid grid-cols-[2.25rem_1fr] items-center gap-1 text-slate-500">
                  <span>IP</span>
                  <CellInput
                    ariaLabel={`Interface ${i + 1} IP`}
                    value={itf.ip}
                    invalid={fieldErrors(errors, ids, `interfaces[${i}].ip`).length > 0}
                    onChange={(v) =>
                      perform(
                        updateRouterInterface,
                        { routerId: router.id, index: i, patch: { ip: v } },
                        { coalesceKey: `${router.id}.${i}.ip` },
                      )
                    }
                  />
                  <span>MAC</span>
                  <CellInput
                    ariaLabel={`Interface ${i + 1} MAC`}
                    value={itf.mac}
                    invalid={fieldErrors(errors, ids, `interfaces[${i}].mac`).length > 0}
                    onChange={(v) =>
                      perform(
                        updateRouterInterface,
                        { routerId: router.id, index: i, patch: { mac: v } },
                        { coalesceKey: `${router.id}.${i}.mac` },
                      )
                    }
                  />
                </div>
              </li>
            ))}
          </ul>
        )}
        <FieldErrors errors={fieldErrors(errors, ids, 'interfaces')} />
        {unconnected.length > 0 ? (
          <SelectField
            label="Connect to"
            value=""
            options={[
              { value: '', label: 'Choose a logical subnet…' },
              ...unconnected.map((s) => ({ value: s.id, label: `${s.name} (${s.prefix})` })),
            ]}
            onChange={(v) => v && void connectToLogicalSubnet(router.id, v)}
          />
        ) : null}
      </Section>
    </>
  );
}
