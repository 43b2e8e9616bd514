import { describe, expect, it } from 'vitest';
import { LiveSettings, type LiveSettingsOptions } from '../../src/config/live-settings.ts';
import type { SettingsBus } from '../../src/config/settings-bus.ts';
import type { SettingOverrideRow } from '../../src/store/ports/settings-repository.ts';

/**
 * Distributed mode reloads settings on every bus message and periodically; the two can overlap.
 * An older reload that finishes last must not put the older rows back in force.
 */
describe('LiveSettings reloads', () => {
  it('apply in the order they started, so the newest rows win', async () => {
    let rows: SettingOverrideRow[] = [];
    // Each database read sees the rows of its start and answers when the test releases it.
    const pending: Array<() => void> = [];
    const store = {
      settings: {
        listOverrides: () => {
          const seen = rows;
          return new Promise<SettingOverrideRow[]>((resolve) => pending.push(() => resolve(seen)));
        },
        getActiveProfile: async () => null,
      },
    } as unknown as LiveSettingsOptions['store'];
    let announce = () => {};
    const bus: SettingsBus = {
      publish: async () => {},
      subscribe: (onChange) => {
        announce = onChange;
        return () => {};
      },
      close: async () => {},
    };
    const opening = LiveSettings.open({ store, clock: { now: () => 0, nowMs: () => 0 }, bus, base: { env: {} } });
    await new Promise((r) => setImmediate(r));
    pending.shift()?.();
    const live = await opening;
    expect(live.get('suggestion.wait_ms')).toBe(3000);

    // A periodic reload starts, then the change is committed and announced.
    const periodic = live.reload();
    rows = [{ key: 'suggestion.wait_ms', value: 250, updated: 1, actor: 'test' }];
    announce();
    await new Promise((r) => setImmediate(r));
    // Release the reads newest first (the database answered the later query sooner).
    while (pending.length > 0) {
      pending.pop()?.();
      await new Promise((r) => setImmediate(r));
    }
    await periodic;
    for (let i = 0; i < 10 && pending.length > 0; i++) {
      pending.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    expect(live.get('suggestion.wait_ms')).toBe(250);
    live.close();
  });
});
