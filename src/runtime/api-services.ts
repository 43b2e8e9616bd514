import type { Logger } from 'pino';
import { MemoryCache } from '../cache/memory/memory-cache.ts';
import type { LiveSettings } from '../config/live-settings.ts';
import { createCacheExperimentCounts } from '../domain/bookkeeping/cache-experiment-counts.ts';
import { createCacheProgressTracker } from '../domain/bookkeeping/cache-progress-tracker.ts';
import { createCacheQueueHint } from '../domain/bookkeeping/cache-queue-hint.ts';
import { createExperimentSnapshotCache } from '../domain/bookkeeping/experiment-snapshot-cache.ts';
import type { Clock } from '../domain/ports/clock.ts';
import { createInProcessLock } from '../domain/ports/keyed-lock.ts';
import { AccountService } from '../domain/services/account-service.ts';
import type { DomainDeps, DomainSettings } from '../domain/services/domain-deps.ts';
import { ExperimentService } from '../domain/services/experiment-service.ts';
import { InsightService } from '../domain/services/insight-service.ts';
import { ObservationService } from '../domain/services/observation-service.ts';
import { ProjectService } from '../domain/services/project-service.ts';
import { TenancyAdminService } from '../domain/services/tenancy-admin-service.ts';
import { createRunServices } from '../domain/services/run-services.ts';
import { TokenService } from '../domain/services/token-service.ts';
import { UserAccountService } from '../domain/services/user-account-service.ts';
import { createCacheLoginThrottle } from '../domain/bookkeeping/cache-login-throttle.ts';
import type { SextantMetrics } from '../observability/sextant-metrics.ts';
import { authHelp } from '../server/http/basic-auth.ts';
import type { Services } from '../server/routes/services.ts';
import { PooledCandidateProvider } from '../worker/pooled-candidate-provider.ts';
import type { ApiAdapters } from './api-adapters.ts';
import { type EmbeddedRefreshes, startEmbeddedRefreshes } from './embedded-refreshes.ts';
import { MeteredSuggestionService } from './metered-suggestion-service.ts';

/** Phase 2 of an API process: the domain services on top of the adapters. */
export interface ApiServices {
  readonly services: Services;
  /** Candidate pools (metrics read the refreshes in flight). */
  readonly candidates: PooledCandidateProvider;
  /** Embedded mode's refresh queue and engine threads; null in distributed mode. */
  readonly embedded: EmbeddedRefreshes | null;
  close(): Promise<void>;
}

/**
 * Wires the domain services. Progress counters, candidate pools and hints live in the shared cache
 * (Redis), or in this process when embedded. Distributed API processes never fit models (the worker
 * fleet fills the pools); embedded mode runs the same refresh handler on an in-process queue with
 * engine threads here. Experiment records are read through a per-process snapshot, invalidated on
 * change, by requests and embedded refreshes alike.
 */
export function buildApiServices(
  adapters: ApiAdapters,
  o: { readonly clock: Clock; readonly appUrl: string; readonly metrics: SextantMetrics; readonly logger: Logger | undefined },
): ApiServices {
  const { store, settings, distributed } = adapters;
  const { clock, metrics, logger } = o;
  const sharedCache = distributed?.cache ?? new MemoryCache({ clock });
  const snapshots = createExperimentSnapshotCache({
    store,
    bus: sharedCache,
    maxAgeMs: () => settings.get('experiment.cache_ms'),
    clock,
    onBusError: (err) => logger?.warn({ err }, 'experiment change broadcast unavailable'),
  });
  const embedded = distributed
    ? null
    : startEmbeddedRefreshes(store, snapshots, sharedCache, settings, clock, (experimentId, outcome) => {
        metrics.observeRefresh(outcome.strategy, outcome.ms / 1000, outcome.error !== undefined);
        if (outcome.error !== undefined) logger?.error({ err: outcome.error, experimentId }, 'optimizer refresh failed');
      });
  const candidates =
    distributed?.candidates ??
    new PooledCandidateProvider({
      store,
      cache: sharedCache,
      queue: embedded!.queue,
      waitMs: () => settings.get('suggestion.wait_ms'),
      clock,
      onError: (err, experimentId) => logger?.warn({ err, experimentId }, 'candidate pool unavailable'),
    });
  const lock = distributed?.lock ?? createInProcessLock();
  const deps: DomainDeps = {
    store,
    clock,
    settings: liveDomainSettings(settings),
    candidates,
    lock,
    progress: createCacheProgressTracker({ cache: sharedCache, store, lock }),
    queueHint: createCacheQueueHint(sharedCache),
    snapshots,
    counts: createCacheExperimentCounts({ cache: sharedCache, lock }),
  };
  const suggestions = new MeteredSuggestionService(deps, (source) => metrics.countSuggestion(source));
  const services: Services = {
    accounts: new AccountService(deps, authHelp(o.appUrl)),
    experiments: new ExperimentService(deps),
    suggestions,
    observations: new ObservationService(deps),
    projects: new ProjectService(deps),
    insights: new InsightService(deps),
    tokens: new TokenService(deps),
    admin: new TenancyAdminService(deps),
    clock,
    userAccounts: new UserAccountService(deps, {
      throttle: createCacheLoginThrottle({
        cache: sharedCache,
        clock,
        limits: () => ({
          perAccount: settings.get('accounts.login_failures_per_account'),
          perAddress: settings.get('accounts.login_failures_per_address'),
          windowMs: settings.get('accounts.login_window_s') * 1000,
        }),
        onError: (err) => logger?.warn({ err }, 'login throttle: cache unavailable, attempt let through'),
      }),
      settings: () => ({
        signup: settings.get('accounts.signup'),
        sessionDays: settings.get('accounts.session_days'),
        failedLoginDelayMs: settings.get('accounts.failed_login_delay_ms'),
      }),
      authHelp: authHelp(o.appUrl),
    }),
    // Training runs and AI experiments take suggestions and record observations through the same services.
    ...createRunServices(deps, suggestions),
  };
  return {
    services,
    candidates,
    embedded,
    async close() {
      await candidates.close();
      await snapshots.close();
      await embedded?.close();
    },
  };
}

/** Domain settings read through to the live values at each use (services read them per call). */
function liveDomainSettings(settings: LiveSettings): DomainSettings {
  return Object.freeze(
    Object.defineProperties({} as DomainSettings, {
      maxOptimizedMetrics: { enumerable: true, get: () => settings.get('limits.max_optimized_metrics') },
      maxBatchObservations: { enumerable: true, get: () => settings.get('limits.max_batch_observations') },
      guestTokenDays: { enumerable: true, get: () => settings.get('tokens.guest_token_days') },
    }),
  );
}
