import Fastify from 'fastify';
import type { MetricsExposition } from '../observability/sextant-metrics.ts';
import { registerOperationalRoutes } from '../server/routes/operational-routes.ts';

/** Options of startMetricsListener. */
export interface MetricsListenerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly metrics: MetricsExposition;
  /** Dependencies `/ready` checks, by name; each rejects when unreachable. */
  readonly readiness: Readonly<Record<string, () => Promise<void>>>;
}

/** A listening metrics endpoint. */
export interface MetricsListener {
  /** `http://host:port` (the port actually bound). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The operational endpoints of a process without an API (`sextant worker`): `/metrics` and `/ready`
 * exactly as an API process answers them, and `/health`, on their own small listener. No token:
 * bind it to a private interface (127.0.0.1 unless told otherwise).
 */
export async function startMetricsListener(opts: MetricsListenerOptions): Promise<MetricsListener> {
  const app = Fastify({ logger: false, return503OnClosing: true });
  registerOperationalRoutes(app, { metrics: opts.metrics, readiness: opts.readiness });
  app.get('/health', async (_req, reply) => reply.code(200).header('cache-control', 'no-store').send({}));
  await app.listen({ host: opts.host, port: opts.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return { url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`, close: () => app.close() };
}
