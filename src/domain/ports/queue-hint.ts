/**
 * Whether an experiment's queue of explicit points (docs/api-compatibility.md#queued-suggestions) may hold entries, kept in the shared
 * cache so that the common case — nothing queued — costs no database statement per suggestion.
 *
 * Protocol (safe with concurrent creators and takers in any process):
 * - a creator calls {@link markNonEmpty} after its insert committed;
 * - a taker that sees {@link mayHaveEntries} true calls {@link markEmpty} BEFORE it pops, and
 *   {@link markNonEmpty} again when the pop found an entry (there may be more).
 * An entry committed after the taker's pop is followed by the creator's mark, which lands after
 * the taker's `markEmpty`; an unknown state (cache lost) reads as "may have entries".
 */
export interface QueueHint {
  mayHaveEntries(experimentId: string): Promise<boolean>;
  markEmpty(experimentId: string): Promise<void>;
  markNonEmpty(experimentId: string): Promise<void>;
}
