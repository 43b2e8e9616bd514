import type { Redis } from 'ioredis';
import type { Cache } from '../cache.ts';

const INCREMENT_IF_PRESENT = `if redis.call('exists', KEYS[1]) == 1 then return redis.call('incrbyfloat', KEYS[1], ARGV[1]) end return false`;
const HIT_WINDOW = `local c = redis.call('incr', KEYS[1])
if c == 1 then redis.call('pexpire', KEYS[1], ARGV[1]) end
local ttl = redis.call('pttl', KEYS[1])
if ttl < 0 then redis.call('pexpire', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
return {c, ttl}`;
const EXTEND_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/** Options of {@link RedisCache}. */
export interface RedisCacheOptions {
  /** The command connection (see createRedisConnection); the cache closes it. */
  readonly redis: Redis;
  /** Prepended to every key and channel, e.g. `sextant:` (deployments and tests share a Redis). */
  readonly prefix: string;
}

/**
 * The {@link Cache} on Redis (ioredis). Multi-step operations are single Lua scripts or MULTI
 * transactions, so they are atomic across all processes. Subscriptions use a second connection
 * (a subscribed Redis connection cannot run other commands), opened on first use.
 */
export class RedisCache implements Cache {
  private readonly redis: Redis;
  private readonly prefix: string;
  private subscriber: Redis | null = null;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();

  constructor(opts: RedisCacheOptions) {
    this.redis = opts.redis;
    this.prefix = opts.prefix;
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(this.k(key));
  }

  async set(key: string, value: string, opts: { ttlMs?: number; onlyIfAbsent?: boolean } = {}): Promise<boolean> {
    const k = this.k(key);
    const ttl = opts.ttlMs !== undefined ? Math.max(1, Math.ceil(opts.ttlMs)) : undefined;
    let result: string | null;
    if (ttl !== undefined && opts.onlyIfAbsent) result = await this.redis.set(k, value, 'PX', ttl, 'NX');
    else if (ttl !== undefined) result = await this.redis.set(k, value, 'PX', ttl);
    else if (opts.onlyIfAbsent) result = await this.redis.set(k, value, 'NX');
    else result = await this.redis.set(k, value);
    return result === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.k(key));
  }

  async increment(key: string, by = 1): Promise<number> {
    return Number(await this.redis.incrbyfloat(this.k(key), by));
  }

  async incrementIfPresent(key: string, by: number): Promise<number | null> {
    const r = (await this.redis.eval(INCREMENT_IF_PRESENT, 1, this.k(key), String(by))) as string | null;
    return r === null ? null : Number(r);
  }

  async hitWindow(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const [count, ttl] = (await this.redis.eval(HIT_WINDOW, 1, this.k(key), String(Math.max(1, Math.ceil(windowMs))))) as [number, number];
    return { count: Number(count), resetMs: Math.max(0, Number(ttl)) };
  }

  async replaceList(key: string, values: readonly string[], ttlMs: number): Promise<void> {
    const k = this.k(key);
    const tx = this.redis.multi().del(k);
    if (values.length > 0) tx.rpush(k, ...values).pexpire(k, Math.max(1, Math.ceil(ttlMs)));
    const results = await tx.exec();
    const failed = results?.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  async popList(key: string): Promise<string | null> {
    return this.redis.lpop(this.k(key));
  }

  async listLength(key: string): Promise<number> {
    return this.redis.llen(this.k(key));
  }

  async acquireLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.set(key, owner, { ttlMs, onlyIfAbsent: true });
  }

  async extendLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return Number(await this.redis.eval(EXTEND_LOCK, 1, this.k(key), owner, String(Math.max(1, Math.ceil(ttlMs))))) === 1;
  }

  async releaseLock(key: string, owner: string): Promise<boolean> {
    return Number(await this.redis.eval(RELEASE_LOCK, 1, this.k(key), owner)) === 1;
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.redis.publish(this.k(channel), message);
  }

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>> {
    const sub = this.subscriberConnection();
    const full = this.k(channel);
    let set = this.handlers.get(full);
    if (!set) {
      this.handlers.set(full, (set = new Set()));
      // ioredis re-subscribes by itself after a reconnect.
      await sub.subscribe(full);
    }
    const handler = (m: string) => onMessage(m);
    set.add(handler);
    return async () => {
      set.delete(handler);
      if (set.size === 0 && this.handlers.get(full) === set) {
        this.handlers.delete(full);
        await sub.unsubscribe(full).catch(() => {});
      }
    };
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.handlers.clear();
    const closing = [this.redis, this.subscriber].filter((c): c is Redis => c !== null);
    this.subscriber = null;
    await Promise.all(closing.map((c) => c.quit().catch(() => c.disconnect())));
  }

  private subscriberConnection(): Redis {
    if (this.subscriber) return this.subscriber;
    // Subscriptions wait for the connection (they are re-established after reconnects anyway).
    const sub = this.redis.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true });
    sub.on('error', () => {});
    sub.on('message', (channel: string, message: string) => {
      for (const h of this.handlers.get(channel) ?? []) h(message);
    });
    this.subscriber = sub;
    return sub;
  }

  private k(key: string): string {
    return this.prefix + key;
  }
}
