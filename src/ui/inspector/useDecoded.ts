// Decode frames in the worker, once per byte buffer.
import { useEffect, useState } from 'react';
import type { DecodedFrame } from '../../engine/wire/types';
import { engine } from '../../worker/client';

const cache = new WeakMap<Uint8Array, Promise<DecodedFrame>>();

function decodeCached(bytes: Uint8Array): Promise<DecodedFrame> {
  let p = cache.get(bytes);
  if (!p) {
    p = engine.decode(bytes);
    cache.set(bytes, p);
    p.catch(() => cache.delete(bytes));
  }
  return p;
}

export function useDecoded(bytes: Uint8Array | undefined): {
  frame: DecodedFrame | null;
  error: string | null;
} {
  const [state, setState] = useState<{
    bytes?: Uint8Array;
    frame: DecodedFrame | null;
    error: string | null;
  }>({
    frame: null,
    error: null,
  });
  useEffect(() => {
    if (!bytes) return;
    let live = true;
    decodeCached(bytes).then(
      (frame) => live && setState({ bytes, frame, error: null }),
      (e: unknown) =>
        live && setState({ bytes, frame: null, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [bytes]);
  if (!bytes) return { frame: null, error: null };
  // Keep showing the previous frame until the new one is decoded (no flicker while scrubbing).
  return { frame: state.frame, error: state.bytes === bytes ? state.error : null };
}
