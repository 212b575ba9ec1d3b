// Global keyboard shortcuts. Typing in a field is never hijacked.
import { useEffect } from 'react';
import { copyToClipboard, deleteSelection, pasteClipboard } from '../actions/commands';
import { useDocumentStore } from '../store/document';

export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'Ctrl+Z', what: 'Undo' },
  { keys: 'Ctrl+Shift+Z / Ctrl+Y', what: 'Redo' },
  { keys: 'Delete / Backspace', what: 'Delete the selection' },
  { keys: 'Ctrl+C / Ctrl+V', what: 'Copy / paste the selection (copies get new ids, names, MACs, CAs)' },
  { keys: 'Ctrl+A', what: 'Select everything in the view' },
  { keys: 'Shift+click', what: 'Add to / remove from the selection' },
  { keys: 'Shift+drag', what: 'Box select' },
  { keys: 'Esc', what: 'Clear the selection / close this help' },
  { keys: '1 / 2', what: 'Physical / virtual view' },
  { keys: 'Space', what: 'Trace: play / pause the timeline' },
  { keys: '← / →', what: 'Trace: previous / next step' },
  { keys: '?', what: 'This help' },
  { keys: 'Drag a VM onto another host', what: 'Live migration (the VM keeps its CA)' },
  { keys: 'Drag from a handle to a logical subnet', what: 'Connect a host or router' },
];

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target)) return;
      const store = useDocumentStore.getState();
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 'z') {
        e.preventDefault();
        if (e.shiftKey) store.redo();
        else store.undo();
      } else if (mod && key === 'y') {
        e.preventDefault();
        store.redo();
      } else if (mod && key === 'c') {
        if (copyToClipboard()) e.preventDefault();
      } else if (mod && key === 'v') {
        e.preventDefault();
        void pasteClipboard();
      } else if (mod && key === 'a') {
        e.preventDefault();
        const { doc, view } = store;
        const ids =
          view === 'physical'
            ? [...doc.logicalSubnets, ...doc.routers, ...doc.hosts, ...doc.vms].map((o) => o.id)
            : [...doc.tenants, ...doc.vmNetworks, ...doc.virtualSubnets, ...doc.vms].map((o) => o.id);
        store.select(ids);
      } else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) {
        e.preventDefault();
        deleteSelection();
      } else if (e.key === '?') {
        store.setHelpOpen(!store.helpOpen);
      } else if (e.key === 'Escape') {
        if (store.helpOpen) store.setHelpOpen(false);
        else store.select([]);
      } else if (!mod && !e.altKey && e.key === '1') {
        store.setView('physical');
      } else if (!mod && !e.altKey && e.key === '2') {
        store.setView('virtual');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
