/**
 * Tells the other processes of a deployment that the stored overrides changed, so they reload
 * them. Embedded mode has one process and uses `localSettingsBus`; distributed mode plugs in a
 * Redis pub/sub implementation (one channel, message = "reload"), keeping the database the
 * single source of truth (a Redis implementation should also reload periodically, so a lost message
 * only delays a change).
 */
export interface SettingsBus {
  /** Announces a change (after it was committed). */
  publish(): Promise<void>;
  /** Calls `onChange` for changes announced by other processes; returns an unsubscribe. */
  subscribe(onChange: () => void): () => void;
  close(): Promise<void>;
}

/** The single-process bus: the writer already updated itself, so there is nobody to tell. */
export function localSettingsBus(): SettingsBus {
  return Object.freeze({
    publish: async () => {},
    subscribe: () => () => {},
    close: async () => {},
  });
}
