import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CacheReadObserver } from '../cache/instrumented-cache.ts';
import { openStoreWithBackoff } from '../common/open-store-with-backoff.ts';
import { type BaseLayerInputs, resolveBaseLayers } from '../config/base-layers.ts';
import { LiveSettings } from '../config/live-settings.ts';
import type { SettingsBus } from '../config/settings-bus.ts';
import type { Clock } from '../domain/ports/clock.ts';
import { instrumentStore, type StatementObserver } from '../store/instrumented-store.ts';
import type { Store } from '../store/store.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { type DistributedRuntime, openDistributedRuntime } from './distributed-adapters.ts';

/** Where an API process keeps its state, and how its settings are layered. */
export interface ApiAdapterOptions {
  readonly clock: Clock;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly redisUrl?: string;
  readonly redisPrefix?: string;
  /** An already opened store (tests); closed with the process. */
  readonly store?: Store;
  readonly settingsBus?: SettingsBus;
  /** Config file, environment and command-line layers. */
  readonly base: BaseLayerInputs;
}

/** Observers bound once metrics and the logger exist (events before that go uncounted). */
export interface AdapterObservers {
  readonly onStatement: StatementObserver;
  readonly onCacheRead: CacheReadObserver;
  /** Cache or queue unavailable (distributed mode): the request degrades instead of failing. */
  onAdapterError(error: unknown, context: string): void;
  /** A stored override that no longer validates, or a failed reload (warnings from before `observe` are replayed). */
  onSettingWarning(message: string): void;
}

/** Phase 1 of an API process: the database, the live settings and, in distributed mode, Redis. */
export interface ApiAdapters {
  readonly store: Store;
  readonly settings: LiveSettings;
  readonly distributed: DistributedRuntime | null;
  observe(observers: AdapterObservers): void;
  close(): Promise<void>;
}

/**
 * Opens the store (running migrations; PGlite refuses a data dir another server holds), connects
 * to Redis in distributed mode and loads the live settings. Every repository call is timed under
 * its statement name once `observe` is called. On failure everything opened so far is closed.
 */
export async function openApiAdapters(opts: ApiAdapterOptions): Promise<ApiAdapters> {
  if (!opts.databaseUrl) await mkdir(opts.dataDir, { recursive: true });
  const unlock = opts.databaseUrl || opts.store ? async () => {} : await lockDataDir(opts.dataDir);
  let observers: AdapterObservers | null = null;
  let store: Store | null = null;
  let distributed: DistributedRuntime | null = null;
  try {
    // Settings read before the database is opened come from the static layers only.
    const poolSize = resolveBaseLayers(opts.base).get('database.pool_size')?.value as number;
    store = instrumentStore(
      opts.store ??
        (await openStoreWithBackoff(
          opts.databaseUrl ? { databaseUrl: opts.databaseUrl, poolSize } : { dataDir: join(opts.dataDir, 'pgdata') },
        )),
      (statement, seconds) => observers?.onStatement(statement, seconds),
    );
    let settings: LiveSettings | null = null;
    if (opts.redisUrl) {
      distributed = await openDistributedRuntime({
        redisUrl: opts.redisUrl,
        ...(opts.redisPrefix ? { redisPrefix: opts.redisPrefix } : {}),
        store,
        waitMs: () => settings?.get('suggestion.wait_ms') ?? 0,
        clock: opts.clock,
        onError: (err, context) => observers?.onAdapterError(err, context),
        onCacheRead: (kind, hit) => observers?.onCacheRead(kind, hit),
      });
    }
    const bus = opts.settingsBus ?? distributed?.settingsBus;
    const early: string[] = [];
    const warn = (m: string) => (observers ? observers.onSettingWarning(m) : early.push(m));
    settings = await LiveSettings.open({ store, clock: opts.clock, base: opts.base, ...(bus ? { bus } : {}), warn });
    const opened = { store, settings, distributed };
    return {
      ...opened,
      observe: (o) => {
        observers = o;
        for (const m of early.splice(0)) o.onSettingWarning(m);
      },
      close: async () => {
        opened.settings.close();
        await opened.distributed?.close();
        await opened.store.close();
        await unlock();
      },
    };
  } catch (err) {
    await distributed?.close();
    if (store && !opts.store) await store.close();
    await unlock();
    throw err;
  }
}
