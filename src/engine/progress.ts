// Progress of a long job (an import of 160,000 networks, a compile of 10,000 VMs): what it is
// doing and how far it is. The worker forwards each report to the UI, which shows a bar and
// tells a busy engine from a dead one by them. Reports are throttled here: counting an item is
// an integer decrement; the clock is read every few hundred items.

/** One report: the phase in plain words, and items done of the job's total (never decreasing). */
export interface Progress {
  phase: string;
  done: number;
  total: number;
}

export type ProgressSink = (progress: Progress) => void;

export interface ProgressMeterOptions {
  /** At most one report per this many ms, besides the first (default 100). */
  intervalMs?: number;
  /** Items between two looks at the clock (default 256). */
  stride?: number;
  /** The clock (tests pass a fake one). */
  now?: () => number;
}

/**
 * Counts a job's items and reports through the sink: once when the job starts (so a watcher
 * knows at once that the engine is busy, not dead), then at most every `intervalMs`.
 */
export class ProgressMeter {
  private done = 0;
  private countdown: number;
  private lastReport: number;
  private readonly intervalMs: number;
  private readonly stride: number;
  private readonly now: () => number;

  constructor(
    private readonly sink: ProgressSink | undefined,
    private readonly total: number,
    private currentPhase: string,
    options: ProgressMeterOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 100;
    this.stride = options.stride ?? 256;
    this.now = options.now ?? Date.now;
    this.countdown = this.stride;
    this.lastReport = this.now();
    this.report();
  }

  /** A new phase: reported now unless the last report is younger than the interval. */
  phase(name: string): void {
    this.currentPhase = name;
    this.maybeReport();
  }

  /** `n` more items done. */
  tick(n = 1): void {
    this.done += n;
    if (--this.countdown > 0) return;
    this.countdown = this.stride;
    this.maybeReport();
  }

  private maybeReport(): void {
    if (this.sink === undefined) return;
    const t = this.now();
    if (t - this.lastReport < this.intervalMs) return;
    this.lastReport = t;
    this.report();
  }

  private report(): void {
    this.sink?.({ phase: this.currentPhase, done: Math.min(this.done, this.total), total: this.total });
  }
}
