// One tab saves. Two tabs of the lab share one saved session; if both saved, the last one to
// write would silently replace the other's work. The Web Locks API grants the save to the first
// tab; a later tab waits for it (and says so) and takes over when that tab closes.

const LOCK = 'hnv-lab-session-save';

export interface SaveLock {
  /** Resolves when this tab may save. */
  granted: Promise<void>;
  /** Give the save up (or the place in the queue for it). */
  release(): void;
}

/**
 * Ask for the save. `onWaiting` runs if another tab holds it for longer than a moment (a reload
 * releases the old page's lock just after the new page asks).
 */
export function acquireSaveLock(onWaiting: () => void, graceMs = 600): SaveLock {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  // No Web Locks here (tests in Node, old browsers): this tab saves.
  if (!locks) return { granted: Promise.resolve(), release: () => undefined };
  let release: () => void = () => undefined;
  // Held until released or the page goes away (the browser releases a closed page's locks).
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let got = false;
  const granted = new Promise<void>((resolve) => {
    void locks.request(LOCK, () => {
      got = true;
      resolve();
      return held;
    });
  });
  setTimeout(() => {
    if (!got) onWaiting();
  }, graceMs);
  return { granted, release: () => release() };
}
