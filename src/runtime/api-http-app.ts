import cluster from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { MemoryCache } from '../cache/memory/memory-cache.ts';
import { clusterMetricsExposition } from '../observability/cluster-metrics.ts';
import { lookupHitCounter } from '../observability/lookup-hit-counter.ts';
import { createRequestObserver } from '../observability/request-observer.ts';
import type { SextantMetrics } from '../observability/sextant-metrics.ts';
import { buildApp } from '../server/app.ts';
import { cacheAuthentication } from '../server/http/auth-cache.ts';
import { registerRateLimit } from '../server/rate-limit.ts';
import { registerOperationalRoutes } from '../server/routes/operational-routes.ts';
import { routeTable } from '../server/routes/route-table.ts';
import { registerApiDocs } from '../server/openapi/api-docs.ts';
import { registerDashboardAssets } from '../server/http/dashboard-assets.ts';
import { API_VERSION, buildOpenApiDocument } from '../server/openapi/openapi-document.ts';
import type { Services } from '../server/routes/services.ts';
import type { ApiAdapters } from './api-adapters.ts';

/**
 * Phase 3 of an API process: the Fastify app with the v1 routes, token authentication (memoized
 * per process), request logging and metrics, the operational routes and per-token rate limits.
 */
export function buildApiHttpApp(
  adapters: ApiAdapters,
  o: {
    readonly services: Services;
    readonly appUrl: string;
    readonly metrics: SextantMetrics;
    readonly logger: Logger | undefined;
    /** Uniform [0, 1) for log sampling (tests inject it). */
    readonly random?: () => number;
  },
): FastifyInstance {
  const { store, settings, distributed } = adapters;
  const { services, metrics, logger, appUrl } = o;
  // Token lookups served from the per-process memo count as auth hits of sextant_cache_requests_total.
  const authLookups = lookupHitCounter((hit) => metrics.countCacheRead('auth', hit));
  const memoAuth = cacheAuthentication(
    authLookups.source((token: string) => services.accounts.authenticate(token)),
    () => settings.get('auth.cache_ms'),
    services.clock,
  );
  const authenticate = Object.assign(authLookups.memo(memoAuth), { clear: () => memoAuth.clear() });
  const routes = routeTable(
    services,
    { settings, requireOperator: (p) => services.admin.requireOperator(p) },
    { batchBodyLimit: settings.get('http.batch_body_limit_bytes') },
  );
  return buildApp({
    routes,
    authenticate,
    bodyLimit: settings.get('http.body_limit_bytes'),
    appUrl,
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    onResourceExhausted: (resource) => metrics.countResourceExhaustion(resource),
    observeRequest: createRequestObserver({
      metrics,
      settings: () => {
        const v = settings.snapshot();
        return {
          successSampleRate: v['log.success_sample_rate'],
          clientErrorSampleRate: v['log.client_error_sample_rate'],
          slowRequestMs: v['log.slow_request_ms'],
          requestSizes: v['log.request_sizes'],
        };
      },
      allowanceMs: (route) => (route === 'suggestion.create' ? settings.get('suggestion.wait_ms') : 0),
      ...(o.random ? { random: o.random } : {}),
    }),
    extend: (instance) => {
      // Token and membership changes made through this process apply here at once (others within the TTL).
      instance.addHook('onResponse', async (req) => {
        // POST /v1/clients makes the caller an owner, a login may revoke the user's oldest session.
        if (req.method !== 'GET' && /^\/v1\/(tokens|admin|sessions)\b|^\/v1\/clients\/?(\?|$)/.test(req.url)) authenticate.clear();
      });
      // The web dashboard at `/` (browser navigations only; API clients keep the JSON routes).
      registerDashboardAssets(instance);
      // Browsable API documentation at /docs, from the same route table.
      registerApiDocs(instance, buildOpenApiDocument(routes, { version: API_VERSION }));
      // In `serve --processes N` every process answers /metrics for the whole cluster.
      const exposition = cluster.isWorker ? clusterMetricsExposition(metrics) : metrics;
      registerOperationalRoutes(instance, {
        metrics: exposition,
        readiness: { database: () => store.ping(), ...(distributed ? { cache: distributed.cache.ping.bind(distributed.cache) } : {}) },
      });
      // Per-token windows in the shared cache (all API processes), or in this process when embedded.
      registerRateLimit(instance, {
        cache: distributed?.cache ?? new MemoryCache({ clock: services.clock }),
        appUrl,
        limits: () => ({
          readsPerSecond: settings.get('rate_limit.reads_per_second'),
          writesPerSecond: settings.get('rate_limit.writes_per_second'),
        }),
        clock: services.clock,
        onError: (err) => logger?.warn({ err }, 'rate limit: cache unavailable, request let through'),
      });
    },
  });
}
