import type { SettingValues } from './settings-registry.ts';

/** A named set of live overrides an operator applies in one command. */
export interface LoadProfile {
  readonly name: string;
  readonly description: string;
  /** Overrides the profile sets; applying a profile replaces all live overrides with these. */
  readonly overrides: Readonly<Partial<SettingValues>>;
}

/**
 * The prepared profiles (documented in docs/configuration.md and docs/runbook.md).
 * `default` clears every live override, so the values come from defaults, file and environment.
 */
export const LOAD_PROFILES: readonly LoadProfile[] = Object.freeze([
  Object.freeze({
    name: 'default',
    description: 'No live overrides: defaults < config file < environment decide every value.',
    overrides: Object.freeze({}),
  }),
  Object.freeze({
    name: 'high-load',
    description:
      'For traffic spikes: suggestions wait at most 20 ms for a fresh model point, then take a spare computed before the latest observations (or fall back), refreshes fill larger pools with more spares, and logs keep errors and slow requests but sample only 0.1% of successes and 10% of client errors.',
    overrides: Object.freeze({
      'suggestion.wait_ms': 20,
      'suggestion.pool_size': 25,
      'suggestion.spare_candidates': 4,
      'log.success_sample_rate': 0.001,
      'log.client_error_sample_rate': 0.1,
    } satisfies Partial<SettingValues>),
  }),
]);

/** The profile of that name, or undefined. */
export function findProfile(name: string): LoadProfile | undefined {
  return LOAD_PROFILES.find((p) => p.name === name);
}
