import { describe, expect, it } from 'vitest';
import { fromNetworkControllerRest } from './model/rest';
import { plainNcExport } from './model/testNcRest';
import { type Progress, ProgressMeter } from './progress';

describe('ProgressMeter', () => {
  it('reports at the start, then at most once per interval, looking at the clock every `stride` items', () => {
    let now = 0;
    let clockReads = 0;
    const clock = () => {
      clockReads++;
      return now;
    };
    const heard: Progress[] = [];
    const meter = new ProgressMeter((p) => heard.push(p), 1000, 'Reading', {
      intervalMs: 100,
      stride: 10,
      now: clock,
    });
    expect(heard).toEqual([{ phase: 'Reading', done: 0, total: 1000 }]);
    for (let i = 0; i < 100; i++) meter.tick(); // no time passes: nothing to say
    expect(heard).toHaveLength(1);
    expect(clockReads).toBe(1 + 10); // the constructor, then once every 10 items
    now = 150;
    for (let i = 0; i < 10; i++) meter.tick();
    expect(heard.at(-1)).toEqual({ phase: 'Reading', done: 110, total: 1000 });
    now = 200;
    meter.phase('Validating'); // only 50 ms since the last report: quiet
    expect(heard).toHaveLength(2);
    now = 300;
    meter.phase('Validating');
    expect(heard.at(-1)).toEqual({ phase: 'Validating', done: 110, total: 1000 });
  });

  it('never reports more done than the total, and works without a sink', () => {
    let now = 0;
    const heard: Progress[] = [];
    const meter = new ProgressMeter((p) => heard.push(p), 5, 'x', { stride: 1, now: () => now });
    now = 1000;
    meter.tick(50);
    expect(heard.at(-1)).toEqual({ phase: 'x', done: 5, total: 5 });
    const silent = new ProgressMeter(undefined, 5, 'x');
    silent.tick(3);
  });
});

describe('NC REST import progress', () => {
  it('walks through the phases with a growing count, and the result does not depend on listening', () => {
    const input = plainNcExport(3000);
    let now = 0;
    const realNow = Date.now;
    const heard: Progress[] = [];
    // Every look at the clock moves it 1 s on: every look reports.
    Date.now = () => (now += 1000);
    let result: ReturnType<typeof fromNetworkControllerRest>;
    try {
      result = fromNetworkControllerRest(input, (p) => heard.push(p));
    } finally {
      Date.now = realNow;
    }
    expect(result.ok).toBe(true);
    const phases = [...new Set(heard.map((p) => p.phase))];
    expect(phases).toEqual([
      'Reading the export',
      'Reading logical networks',
      'Reading access control lists',
      'Reading virtual networks',
      'Reading servers',
      'Reading network interfaces',
      'Validating',
    ]);
    const done = heard.map((p) => p.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(heard.at(-1)?.total).toBe(2 * (1 + 20 + 3000 + 750));
    expect(heard.at(-1)?.done).toBe(1 + 20 + 3000 + 750);
    expect(JSON.stringify(result)).toBe(JSON.stringify(fromNetworkControllerRest(plainNcExport(3000))));
  });
});
