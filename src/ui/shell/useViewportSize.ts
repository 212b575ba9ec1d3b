// The window's size, updated on resize: layout decisions that CSS alone cannot make (how
// much height the bottom panel may take, when the palette folds to icons, the phone layout).
import { useSyncExternalStore } from 'react';

let cached = { width: 0, height: 0 };

function read() {
  if (typeof window === 'undefined') return cached;
  const { innerWidth: width, innerHeight: height } = window;
  if (width !== cached.width || height !== cached.height) cached = { width, height };
  return cached;
}

function subscribe(onChange: () => void) {
  window.addEventListener('resize', onChange);
  return () => window.removeEventListener('resize', onChange);
}

export function useViewportSize(): { width: number; height: number } {
  return useSyncExternalStore(subscribe, read, read);
}
