/**
 * Orders items by name the way specs are stored: plain code-unit order (what SigOpt's Python
 * `sorted` gives for ASCII names), with a null name first.
 */
export function sortByName<T extends { readonly name: string | null }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => {
    if (a.name === b.name) return 0;
    if (a.name === null) return -1;
    if (b.name === null) return 1;
    return a.name < b.name ? -1 : 1;
  });
}
