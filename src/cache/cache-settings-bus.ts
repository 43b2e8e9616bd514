import type { SettingsBus } from '../config/settings-bus.ts';
import type { Cache } from './cache.ts';

const CHANNEL = 'settings-changed';

/**
 * The distributed {@link SettingsBus}: "reload" messages on one cache pub/sub channel. The
 * database stays the source of truth; a lost message (Redis restart) only delays a change until
 * the periodic reload (`reloadEveryMs`) picks it up.
 */
export function createCacheSettingsBus(cache: Cache, opts: { readonly reloadEveryMs?: number } = {}): SettingsBus {
  const reloadEveryMs = opts.reloadEveryMs ?? 30_000;
  const unsubscribes = new Set<() => void>();
  return {
    publish: () => cache.publish(CHANNEL, 'reload'),
    subscribe(onChange) {
      let off: (() => Promise<void>) | null = null;
      let closed = false;
      cache
        .subscribe(CHANNEL, () => onChange())
        .then(
          (unsubscribe) => {
            if (closed) void unsubscribe();
            else off = unsubscribe;
          },
          () => {},
        );
      const timer = setInterval(onChange, reloadEveryMs);
      timer.unref();
      const unsubscribe = () => {
        closed = true;
        clearInterval(timer);
        void off?.().catch(() => {});
        unsubscribes.delete(unsubscribe);
      };
      unsubscribes.add(unsubscribe);
      return unsubscribe;
    },
    close: async () => {
      for (const u of [...unsubscribes]) u();
    },
  };
}
