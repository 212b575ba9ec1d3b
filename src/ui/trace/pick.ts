// Picking the trace's source and destination by clicking VMs on the canvas: the trace form
// starts it ("Pick on canvas"), the canvas asks for the source, then the destination, and
// hands each vNIC to the form. A small store so the two panels need not know each other.
import { create } from 'zustand';

export type PickMode = 'from' | 'to' | null;

interface PickState {
  mode: PickMode;
  /** The last picks; `seq` changes on every pick so the form hears a repeated choice too. */
  picked: { from?: string; to?: string; seq: number };
  start(): void;
  cancel(): void;
  /** A VM's vNIC was clicked: it is the source, then the destination. */
  pick(vnicId: string): void;
}

export const useTracePick = create<PickState>()((set, get) => ({
  mode: null,
  picked: { seq: 0 },
  start: () => set({ mode: 'from' }),
  cancel: () => set({ mode: null }),
  pick: (vnicId) => {
    const { mode, picked } = get();
    if (mode === 'from') set({ mode: 'to', picked: { from: vnicId, seq: picked.seq + 1 } });
    // A VM does not ping itself through its vSwitch: the destination is another VM.
    else if (mode === 'to' && vnicId !== picked.from)
      set({ mode: null, picked: { ...picked, to: vnicId, seq: picked.seq + 1 } });
  },
}));
