import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../test/support/manual-clock.ts';
import { InProcessJobQueue } from './in-process-job-queue.ts';

describe('InProcessJobQueue.oldestWaitingAgeMs', () => {
  it('is the age of the FIFO head among waiting jobs; running jobs do not count', async () => {
    const clock = manualClock(1_000);
    const release: Array<() => void> = [];
    const q = new InProcessJobQueue({
      handler: () => new Promise<void>((resolve) => release.push(resolve)),
      concurrency: 1,
      clock,
    });
    expect(await q.oldestWaitingAgeMs()).toBe(0);

    await q.enqueueRefresh('1'); // starts running at once (concurrency 1)
    clock.set(2_000);
    expect(await q.oldestWaitingAgeMs()).toBe(0);
    await q.enqueueRefresh('2');
    clock.set(2_500);
    await q.enqueueRefresh('3');
    await q.enqueueRefresh('2'); // coalesced: keeps its first enqueue time
    clock.set(5_000);
    expect(await q.oldestWaitingAgeMs()).toBe(3_000);

    release.shift()?.(); // '1' done → '2' runs, '3' is the head
    await new Promise((r) => setImmediate(r));
    expect(await q.oldestWaitingAgeMs()).toBe(2_500);

    release.shift()?.();
    await new Promise((r) => setImmediate(r));
    release.shift()?.();
    await q.drained();
    expect(await q.oldestWaitingAgeMs()).toBe(0);
    await q.close();
  });
});
