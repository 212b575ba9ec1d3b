// Creating from the palette, then showing the result: an object the current view does not
// draw (a tenant dropped in the physical view, a host in the virtual one) would be created
// out of sight, so the canvas switches to the view that draws it and says so.
import { createFromPalette, type DropContext, type PaletteKind } from '../actions/commands';
import { findEdgeCollection } from '../actions/edge';
import type { View } from '../actions/types';
import { findCollection } from '../actions/util';
import { useDocumentStore } from '../store/document';

/** The view that draws each palette kind (VMs are drawn in both). */
export const HOME_VIEW: Record<PaletteKind, View | 'both'> = {
  lsubnet: 'physical',
  router: 'physical',
  host: 'physical',
  vm: 'both',
  tenant: 'virtual',
  vmnet: 'virtual',
  vsubnet: 'virtual',
  routetable: 'virtual',
  loadbalancer: 'virtual',
  vgateway: 'virtual',
};

const KIND_WORDS: Record<PaletteKind, string> = {
  lsubnet: 'Logical subnet',
  router: 'Router',
  host: 'Hyper-V host',
  vm: 'VM',
  tenant: 'Tenant',
  vmnet: 'VM network',
  vsubnet: 'Virtual subnet',
  routetable: 'Route table',
  loadbalancer: 'Load balancer',
  vgateway: 'Virtual gateway',
};

/** Create `kind` as the palette does; when the view on screen does not draw it, switch to one that does. */
export async function placeFromPalette(kind: PaletteKind, ctx: DropContext): Promise<string | null> {
  const id = await createFromPalette(kind, ctx);
  if (!id) return null;
  const home = HOME_VIEW[kind];
  const store = useDocumentStore.getState();
  if (home !== 'both' && home !== store.view) {
    store.setView(home);
    const doc = store.doc;
    const collection = findCollection(doc, id) ?? findEdgeCollection(doc, id);
    const name = collection
      ? (((doc[collection] ?? []) as { id: string; name: string }[]).find((o) => o.id === id)?.name ?? id)
      : id;
    const where = home === 'virtual' ? 'Virtual' : 'Physical';
    store.notify('info', `${KIND_WORDS[kind]} '${name}' is drawn in the ${where} view: switched to it.`);
  }
  return id;
}
