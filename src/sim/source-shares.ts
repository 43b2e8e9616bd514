/**
 * Shares of the post-design suggestions by where they came from (records.ts SuggestionSource):
 * the model's (fresh, stale, and the pre-split `model` label) and the fresh ones alone, each over
 * model + fallback suggestions. Null when there were none.
 */
export function sourceShares(counts: Readonly<Record<string, number>>): { modelShare: number | null; freshShare: number | null } {
  const fresh = counts.fresh ?? 0;
  const model = fresh + (counts.stale ?? 0) + (counts.model ?? 0);
  const total = model + (counts.fallback ?? 0);
  const share = (v: number) => (total > 0 ? Math.round((v / total) * 10_000) / 10_000 : null);
  return { modelShare: share(model), freshShare: share(fresh) };
}
