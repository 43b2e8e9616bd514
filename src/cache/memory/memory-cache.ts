import { systemClock } from '../../common/system-clock.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { Cache } from '../cache.ts';

interface Entry {
  value: string | string[];
  /** Absolute expiry in ms of the injected clock; Infinity for none. */
  expiresAt: number;
}

/** Options of {@link MemoryCache}. */
export interface MemoryCacheOptions {
  /** Clock of the expiries, injected so tests are exact. Default the system clock. */
  readonly clock?: Clock;
}

/**
 * The single-process cache of embedded mode and of unit tests: the {@link Cache} semantics of the
 * Redis adapter on plain maps. Expired entries are dropped lazily on access; pub/sub delivers
 * asynchronously (next microtask) like a network would, never inside `publish`.
 */
export class MemoryCache implements Cache {
  private readonly entries = new Map<string, Entry>();
  private readonly channels = new Map<string, Set<(message: string) => void>>();
  private readonly clock: Clock;

  constructor(opts: MemoryCacheOptions = {}) {
    this.clock = opts.clock ?? systemClock;
  }

  async get(key: string): Promise<string | null> {
    const v = this.live(key)?.value;
    return typeof v === 'string' ? v : null;
  }

  async set(key: string, value: string, opts: { ttlMs?: number; onlyIfAbsent?: boolean } = {}): Promise<boolean> {
    if (opts.onlyIfAbsent && this.live(key)) return false;
    this.entries.set(key, { value, expiresAt: this.expiry(opts.ttlMs) });
    return true;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async increment(key: string, by = 1): Promise<number> {
    const entry = this.live(key);
    const next = (entry ? Number(entry.value) : 0) + by;
    this.entries.set(key, { value: String(next), expiresAt: entry?.expiresAt ?? Infinity });
    return next;
  }

  async incrementIfPresent(key: string, by: number): Promise<number | null> {
    return this.live(key) ? this.increment(key, by) : null;
  }

  async hitWindow(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const entry = this.live(key);
    if (!entry) {
      this.entries.set(key, { value: '1', expiresAt: this.clock.nowMs() + windowMs });
      return { count: 1, resetMs: windowMs };
    }
    const count = Number(entry.value) + 1;
    entry.value = String(count);
    return { count, resetMs: Math.max(0, entry.expiresAt - this.clock.nowMs()) };
  }

  async replaceList(key: string, values: readonly string[], ttlMs: number): Promise<void> {
    if (values.length === 0) this.entries.delete(key);
    else this.entries.set(key, { value: [...values], expiresAt: this.expiry(ttlMs) });
  }

  async popList(key: string): Promise<string | null> {
    const entry = this.live(key);
    if (!entry || !Array.isArray(entry.value)) return null;
    const first = entry.value.shift() ?? null;
    if (entry.value.length === 0) this.entries.delete(key);
    return first;
  }

  async listLength(key: string): Promise<number> {
    const v = this.live(key)?.value;
    return Array.isArray(v) ? v.length : 0;
  }

  async acquireLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.set(key, owner, { ttlMs, onlyIfAbsent: true });
  }

  async extendLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const entry = this.live(key);
    if (!entry || entry.value !== owner) return false;
    entry.expiresAt = this.expiry(ttlMs);
    return true;
  }

  async releaseLock(key: string, owner: string): Promise<boolean> {
    if (this.live(key)?.value !== owner) return false;
    this.entries.delete(key);
    return true;
  }

  async publish(channel: string, message: string): Promise<void> {
    const handlers = [...(this.channels.get(channel) ?? [])];
    queueMicrotask(() => {
      for (const h of handlers) h(message);
    });
  }

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>> {
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    // Each subscription is its own entry, even when the same function subscribes twice.
    const handler = (m: string) => onMessage(m);
    set.add(handler);
    return async () => {
      set.delete(handler);
      if (set.size === 0 && this.channels.get(channel) === set) this.channels.delete(channel);
    };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.channels.clear();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.clock.nowMs()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private expiry(ttlMs: number | undefined): number {
    return ttlMs === undefined ? Infinity : this.clock.nowMs() + ttlMs;
  }
}
