import { openStore, type OpenStoreOptions } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { retryWithBackoff } from './backoff.ts';

/**
 * Startup registration with the database: opens (and migrates) the store, retrying on the shared
 * full-jitter schedule for up to `deadlineMs`, so a fleet started before PostgreSQL, or restarting
 * all at once, waits politely instead of crashing or stampeding. PGlite opens once (no network).
 */
export async function openStoreWithBackoff(
  opts: OpenStoreOptions,
  retry: { readonly deadlineMs?: number; onRetry?(error: unknown, attempt: number, delayMs: number): void } = {},
): Promise<Store> {
  if (!opts.databaseUrl) return openStore(opts);
  return retryWithBackoff(() => openStore(opts), {
    deadlineMs: retry.deadlineMs ?? 60_000,
    ...(retry.onRetry ? { onRetry: retry.onRetry } : {}),
  });
}
