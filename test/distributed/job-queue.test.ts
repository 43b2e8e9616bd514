import { afterAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { BullmqJobQueue, startBullmqConsumer } from '../../src/queue/bullmq/bullmq-job-queue.ts';
import { InProcessJobQueue } from '../../src/queue/in-process/in-process-job-queue.ts';
import type { JobConsumer, JobQueue, RefreshHandler } from '../../src/queue/job-queue.ts';
import { deletePrefix, redisUnavailable, testRedis, uniquePrefix } from './redis-support.ts';

interface Harness {
  readonly queue: JobQueue;
  /** Starts consuming with `handler` (jobs enqueued before are kept). */
  start(handler: RefreshHandler, concurrency?: number): Promise<void>;
  close(): Promise<void>;
}

interface Adapter {
  readonly name: string;
  readonly skip: string | false;
  open(): Promise<Harness>;
}

function until(check: () => boolean, ms = 10_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() - started > ms) reject(new Error('condition not reached'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

const connections: Redis[] = [];
afterAll(async () => {
  await Promise.all(connections.map((c) => c.quit().catch(() => {})));
});

const adapters: Adapter[] = [
  {
    name: 'in-process',
    skip: false,
    async open() {
      let handler: RefreshHandler | null = null;
      const pending: string[] = [];
      let started = false;
      const q = new InProcessJobQueue({
        handler: (id) => (handler as RefreshHandler)(id),
        concurrency: 2,
        retry: { baseMs: 1, capMs: 5 },
      });
      // Hold jobs until start() so both adapters see "enqueued before consumers" the same way.
      const queue: JobQueue = {
        enqueueRefresh: async (id) => {
          if (started) await q.enqueueRefresh(id);
          else if (!pending.includes(id)) pending.push(id);
        },
        depth: () => q.depth(),
        // Held jobs are not in the queue yet; the in-process age has its own unit test.
        oldestWaitingAgeMs: () => q.oldestWaitingAgeMs(),
        close: () => q.close(),
      };
      return {
        queue,
        async start(h) {
          handler = h;
          started = true;
          for (const id of pending) await q.enqueueRefresh(id);
        },
        close: () => q.close(),
      };
    },
  },
  {
    name: 'bullmq',
    skip: redisUnavailable(),
    async open() {
      const prefix = uniquePrefix('queue');
      const conn = testRedis(null);
      connections.push(conn);
      const queue = new BullmqJobQueue({ connection: conn, prefix: `${prefix}bull` });
      const consumers: JobConsumer[] = [];
      return {
        queue,
        async start(handler, concurrency = 2) {
          const c = testRedis(null);
          connections.push(c);
          consumers.push(await startBullmqConsumer({ connection: c, prefix: `${prefix}bull`, handler, concurrency }));
        },
        async close() {
          for (const c of consumers) await c.close();
          await queue.close();
          await deletePrefix(conn, prefix);
        },
      };
    },
  },
];

for (const adapter of adapters) {
  describe.skipIf(adapter.skip)(`JobQueue: ${adapter.name}`, () => {
    it('coalesces duplicate requests for a waiting experiment into one job', async () => {
      const h = await adapter.open();
      for (let i = 0; i < 10; i++) {
        await h.queue.enqueueRefresh('11');
        await h.queue.enqueueRefresh('12');
      }
      const runs: string[] = [];
      await h.start(async (id) => void runs.push(id));
      await until(() => runs.length >= 2);
      await new Promise((r) => setTimeout(r, 200));
      expect(runs.sort()).toEqual(['11', '12']);
      await h.close();
    });

    it('never runs two jobs of one experiment at once, and runs different experiments concurrently', async () => {
      const h = await adapter.open();
      const active = new Map<string, number>();
      let maxSame = 0;
      let maxAll = 0;
      let done = 0;
      await h.start(async (id) => {
        active.set(id, (active.get(id) ?? 0) + 1);
        maxSame = Math.max(maxSame, active.get(id) ?? 0);
        maxAll = Math.max(
          maxAll,
          [...active.values()].reduce((a, b) => a + b, 0),
        );
        await new Promise((r) => setTimeout(r, 40));
        active.set(id, (active.get(id) ?? 1) - 1);
        done++;
      }, 2);
      for (let round = 0; round < 5; round++) {
        await Promise.all([h.queue.enqueueRefresh('21'), h.queue.enqueueRefresh('22')]);
        await new Promise((r) => setTimeout(r, 15));
      }
      await until(() => done >= 2 && [...active.values()].every((n) => n === 0));
      await new Promise((r) => setTimeout(r, 150));
      expect(maxSame).toBe(1);
      expect(maxAll).toBeGreaterThanOrEqual(1);
      await h.close();
    });

    it('retries a job whose handler failed', async () => {
      const h = await adapter.open();
      let calls = 0;
      await h.start(async () => {
        calls++;
        if (calls === 1) throw new Error('engine crashed');
      });
      await h.queue.enqueueRefresh('31');
      await until(() => calls >= 2);
      expect(calls).toBe(2);
      await h.close();
    });

    it.skipIf(adapter.name !== 'bullmq')('reports how long the oldest waiting job has waited, and 0 once it ran', async () => {
      const h = await adapter.open();
      expect(await h.queue.oldestWaitingAgeMs()).toBe(0);
      await h.queue.enqueueRefresh('51');
      await h.queue.enqueueRefresh('52');
      // No consumer yet: the jobs wait and their age grows.
      const started = Date.now();
      let age = 0;
      while (age < 100 && Date.now() - started < 5000) {
        await new Promise((r) => setTimeout(r, 20));
        age = await h.queue.oldestWaitingAgeMs();
      }
      expect(age).toBeGreaterThanOrEqual(100);
      let done = 0;
      await h.start(async () => void done++);
      await until(() => done === 2);
      const deadline = Date.now() + 5000;
      while ((await h.queue.oldestWaitingAgeMs()) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await h.queue.oldestWaitingAgeMs()).toBe(0);
      await h.close();
    });

    it('accepts a new job for an experiment once its previous job finished', async () => {
      const h = await adapter.open();
      let calls = 0;
      await h.start(async () => void calls++);
      await h.queue.enqueueRefresh('41');
      await until(() => calls === 1);
      await new Promise((r) => setTimeout(r, 100));
      await h.queue.enqueueRefresh('41');
      await until(() => calls === 2);
      expect(await h.queue.depth()).toBeGreaterThanOrEqual(0);
      await h.close();
    });
  });
}
