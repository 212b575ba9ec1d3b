import { beforeEach, describe, expect, it } from 'vitest';
import { loadBalancer } from '../../scenarios/builders';
import { addRouter, addTenant, updateObject } from '../actions';
import { setBackendMember } from '../actions/edge';
import { blankDocument, useDocumentStore } from './document';

const s = () => useDocumentStore.getState();

beforeEach(() => {
  useDocumentStore.setState({
    doc: blankDocument(),
    past: [],
    future: [],
    revision: 0,
    selection: [],
    notices: [],
  });
});

describe('document store', () => {
  it('undo and redo walk the history of documents', () => {
    s().perform(addTenant, { id: 't1' });
    s().perform(addTenant, { id: 't2' });
    expect(s().doc.tenants).toHaveLength(2);
    s().undo();
    expect(s().doc.tenants.map((t) => t.id)).toEqual(['t1']);
    s().undo();
    expect(s().doc.tenants).toHaveLength(0);
    s().undo(); // nothing left: a no-op
    s().redo();
    s().redo();
    expect(s().doc.tenants).toHaveLength(2);
  });

  it('a new edit clears the redo stack', () => {
    s().perform(addTenant, { id: 't1' });
    s().undo();
    s().perform(addRouter, { id: 'r1' });
    expect(s().future).toHaveLength(0);
  });

  it('typing in one field coalesces into one undo step', () => {
    s().perform(addTenant, { id: 't1' });
    for (const name of ['C', 'Co', 'Con', 'Contoso']) {
      s().perform(
        updateObject,
        { collection: 'tenants', id: 't1', patch: { name } },
        { coalesceKey: 't1.name' },
      );
    }
    expect(s().doc.tenants[0].name).toBe('Contoso');
    s().undo();
    expect(s().doc.tenants[0].name).toBe('Tenant 1');
  });

  it('a refused action leaves the document alone and says why', () => {
    const before = s().doc;
    const ok = s().perform(updateObject, { collection: 'hosts', id: 'missing', patch: { name: 'x' } });
    expect(ok).toBe(false);
    expect(s().doc).toBe(before);
    expect(s().notices.at(-1)?.kind).toBe('error');
  });

  it('drops deleted objects from the selection on undo', () => {
    s().perform(addTenant, { id: 't1' });
    s().select(['t1']);
    s().undo();
    expect(s().selection).toEqual([]);
  });

  it('loading a scenario is undoable', () => {
    s().perform(addTenant, { id: 't1' });
    s().loadDocument(blankDocument(), 'empty');
    expect(s().doc.tenants).toHaveLength(0);
    s().undo();
    expect(s().doc.tenants).toHaveLength(1);
  });

  it('stale validation answers never overwrite newer ones', () => {
    s().perform(addTenant, { id: 't1' });
    s().setValidation(1, [{ objectKind: 'tenant', field: 'name', rule: 'x', message: 'new' }]);
    s().setValidation(0, []);
    expect(s().validation.errors).toHaveLength(1);
  });

  it('a selected load balancer stays selected through its edits and their undo', () => {
    useDocumentStore.setState({ doc: loadBalancer() });
    s().select(['web-lb']);
    expect(
      s().perform(setBackendMember, { loadBalancerId: 'web-lb', vnicId: 'contoso-web1-nic0', member: false }),
    ).toBe(true);
    expect(s().selection).toEqual(['web-lb']);
    expect(s().doc.loadBalancers?.[0].backendVnicIds).toHaveLength(2);
    s().undo();
    expect(s().selection).toEqual(['web-lb']);
    expect(s().doc.loadBalancers?.[0].backendVnicIds).toHaveLength(3);
  });
});
