import type { FastifyInstance } from 'fastify';
import type { MetricsExposition } from '../../observability/sextant-metrics.ts';

/** Options of the operational endpoints. */
export interface OperationalRoutesOptions {
  readonly metrics: MetricsExposition;
  /**
   * Dependencies `/ready` checks, by name (`database` now; `cache` and `queue` join in
   * distributed mode). Each rejects when unreachable.
   */
  readonly readiness: Readonly<Record<string, () => Promise<void>>>;
  /** Per-check time budget; a hung dependency must not hang the probe. Default 2000 ms. */
  readonly readyTimeoutMs?: number;
}

/**
 * `/metrics` (Prometheus text, no token: scrape it from the private network only) and `/ready`
 * (200 when every dependency answers, else 503 naming the failing ones — load balancers and the
 * rolling restart take a process out of rotation on 503). Liveness stays `/health`.
 */
export function registerOperationalRoutes(app: FastifyInstance, opts: OperationalRoutesOptions): void {
  app.get('/metrics', { config: { name: 'metrics', raw: true } }, async (_req, reply) => {
    const text = await opts.metrics.render();
    return reply.code(200).header('content-type', opts.metrics.contentType).header('cache-control', 'no-store').send(text);
  });

  app.get('/ready', { config: { name: 'ready', raw: true } }, async (_req, reply) => {
    const budget = opts.readyTimeoutMs ?? 2000;
    const entries = await Promise.all(
      Object.entries(opts.readiness).map(async ([name, check]) => [name, await probe(check, budget)] as const),
    );
    const checks = Object.fromEntries(entries);
    const ready = entries.every(([, r]) => r === 'ok');
    return reply
      .code(ready ? 200 : 503)
      .header('content-type', 'application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(JSON.stringify({ status: ready ? 'ready' : 'unavailable', checks }));
  });
}

async function probe(check: () => Promise<void>, budgetMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${budgetMs} ms`)), budgetMs);
      }),
    ]);
    return 'ok';
  } catch (err) {
    return `error: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    clearTimeout(timer);
  }
}
