import { useEffect, useState } from 'react';
import type { Api } from '../api.ts';
import type { Experiment, Observation, Page } from '../types.ts';

/** How often an open experiment page asks whether something changed (the issue asks for ≤ 2 s). */
export const POLL_MS = 1500;
/** The most observations the page loads for its charts and table. */
export const MAX_OBSERVATIONS = 100_000;

/** The experiment and its live observations (ascending by id), kept current by polling. */
export interface ExperimentData {
  readonly experiment: Experiment | null;
  readonly observations: readonly Observation[];
  readonly error: unknown;
  /** Set when the experiment has more observations than the page loads. */
  readonly truncated: boolean;
  /** While a first load of a big experiment is under way: how many observations are loaded so far. */
  readonly loading: number | null;
}

/**
 * Loads an experiment and its observations, then polls the experiment every {@link POLL_MS}.
 * When its observation count or `updated` time moves, only the observations newer than the newest
 * one held are fetched (the list is newest first, so the first page or two has them); if the
 * count then still disagrees (a delete or an update), everything is reloaded once. Each poll
 * replaces the arrays it changes, so a page left open does not grow.
 */
export function useExperimentData(api: Api, id: string): ExperimentData {
  const [state, setState] = useState<ExperimentData>({
    experiment: null,
    observations: [],
    error: null,
    truncated: false,
    loading: null,
  });
  useEffect(() => {
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let held: Observation[] = [];
    let seen: { updated: number; count: number } | null = null;
    const base = `/v1/experiments/${id}`;

    // Pages newest first until `stop` says the rest is already held (or the cap is reached).
    // `partial` reports what has arrived so far (a big experiment's page is usable from its first page).
    const fetchDown = async (
      stop: (o: Observation) => boolean,
      partial?: (firstPage: Observation[] | null, loaded: number) => void,
    ): Promise<{ fresh: Observation[]; truncated: boolean }> => {
      const fresh: Observation[] = [];
      let before: string | undefined;
      for (;;) {
        const page = await api.get<Page<Observation>>(`${base}/observations`, { limit: 1000, before }, ctrl.signal);
        for (const o of page.data) {
          if (stop(o)) return { fresh, truncated: false };
          fresh.push(o);
        }
        // The first page at once; after that only the count moves (every redraw of every chart over
        // a growing array costs more than the rest of the load), and the complete set at the end.
        // (A copy: `fresh` keeps growing and is reversed in place at the end.)
        if (partial && page.paging.before) partial(fresh.length === page.data.length ? [...fresh].reverse() : null, fresh.length);
        if (!page.paging.before) return { fresh, truncated: false };
        if (fresh.length >= MAX_OBSERVATIONS) return { fresh, truncated: true };
        before = page.paging.before;
      }
    };

    const tick = async () => {
      try {
        const experiment = await api.get<Experiment>(base, undefined, ctrl.signal);
        const count = experiment.progress?.observation_count ?? 0;
        if (seen && seen.updated === experiment.updated && seen.count === count) {
          setState((s) => (s.error === null ? s : { ...s, error: null }));
          return;
        }
        let truncated = false;
        const newest = held.at(-1);
        if (newest && seen) {
          const newestId = BigInt(newest.id);
          const { fresh } = await fetchDown((o) => BigInt(o.id) <= newestId);
          held = [...held, ...fresh.reverse()];
        }
        if (!seen || held.length !== count) {
          const first = !seen;
          const all = await fetchDown(
            () => false,
            first
              ? (firstPage, loaded) =>
                  setState((prev) => ({
                    experiment,
                    observations: firstPage ?? prev.observations,
                    error: null,
                    truncated: false,
                    loading: loaded,
                  }))
              : undefined,
          );
          held = all.fresh.reverse(); // pages come newest first
          truncated = all.truncated;
        }
        seen = { updated: experiment.updated, count };
        setState({ experiment, observations: held, error: null, truncated, loading: null });
      } catch (err) {
        if (!ctrl.signal.aborted) setState((s) => ({ ...s, error: err }));
      } finally {
        if (!ctrl.signal.aborted) timer = setTimeout(tick, POLL_MS);
      }
    };
    void tick();
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
  }, [api, id]);
  return state;
}
