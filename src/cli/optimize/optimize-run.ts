import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type {
  BestAssignments,
  Experiment,
  ExperimentCreate,
  Metadata,
  ObservationCreate,
  SextantClient,
  Suggestion,
} from '../../client/index.ts';
import { CliError } from '../admin-api-client.ts';
import { lastLine, parseMetrics } from './metric-output.ts';
import type { OptimizeProgress, ProgressState, TrialOutcome } from './optimize-progress.ts';
import { runTrial, type TrialExit } from './trial-process.ts';

/** Marks the suggestions a run opens, so a cancelled or killed run's leftovers can be found. */
export const OPTIMIZE_SOURCE = 'sextant optimize';

/** Everything `sextant optimize` needs once the server and the command are known. */
export interface OptimizeRunOptions {
  readonly client: SextantClient;
  /** The command to tune, with `{name}` placeholders. */
  readonly command: readonly string[];
  /** A new experiment from the file, or the id of one to continue. */
  readonly experiment: { readonly create: ExperimentCreate } | { readonly resume: string };
  /** Evaluations at once; a new experiment gets parallel_bandwidth N. */
  readonly parallel: number;
  /** Overrides the experiment's observation_budget. */
  readonly budget?: number;
  readonly timeoutSeconds?: number;
  /** Ctrl-C / SIGTERM: stop launching, kill running evaluations, delete their suggestions. */
  readonly signal: AbortSignal;
  readonly progress: OptimizeProgress;
  /** Parent of the per-run work directories (assignments and metrics files). */
  readonly workRoot: string;
}

/** What a run did. */
export interface OptimizeRunResult {
  readonly experiment: Experiment;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: boolean;
  readonly best: BestAssignments[];
}

/**
 * Tunes a command: opens suggestions, runs the command for each (up to `parallel` at once) and
 * reports what it printed as observations until the budget is reached. A run that exits non-zero,
 * times out, is killed or prints no usable metrics becomes a failed observation with the reason
 * in its metadata (`failure_reason`). On cancellation the running evaluations are killed and
 * their open suggestions deleted; observations already on their way are still delivered, so
 * nothing is left half-written.
 */
export async function runOptimize(o: OptimizeRunOptions): Promise<OptimizeRunResult> {
  const { client, progress } = o;
  const runId = randomUUID();
  const resumed = 'resume' in o.experiment;
  let experiment = await openExperiment(o);
  const handle = client.experiment(experiment.id);
  if (resumed) await deleteLeftovers(o, experiment.id);
  const budget = experiment.observation_budget ?? null;
  if (budget === null) throw new CliError(`experiment ${experiment.id} has no budget: give --budget or \`budget:\` in the experiment file`);
  const firstMetric = experiment.metrics.find((m) => m.strategy === 'optimize') ?? null;
  let done = experiment.progress?.observation_count ?? 0;
  progress.started(experiment, done, budget, resumed);

  const open = new Set<string>();
  let launched = 0;
  let running = 0;
  let completed = 0;
  let failed = 0;
  let seconds = 0;
  let best: ProgressState['best'] = null;
  const state = (): ProgressState => ({
    done,
    budget,
    running,
    failed,
    best,
    meanSeconds: completed > 0 ? seconds / completed : null,
    parallel: o.parallel,
  });
  const remaining = budget - done;
  // One failing worker (the server went away) stops the others' evaluations too.
  const stop = new AbortController();
  const onCancel = () => stop.abort();
  o.signal.addEventListener('abort', onCancel, { once: true });
  if (o.signal.aborted) stop.abort();

  const worker = async () => {
    while (!stop.signal.aborted && launched < remaining) {
      launched++;
      const suggestion = await handle.suggestions.create({ metadata: { source: OPTIMIZE_SOURCE, optimize_run: runId } });
      open.add(suggestion.id);
      if (stop.signal.aborted) return;
      running++;
      progress.running(state());
      const started = Date.now();
      const exit = await runTrial({
        command: o.command,
        assignments: suggestion.assignments,
        experimentId: experiment.id,
        suggestionId: suggestion.id,
        workDir: join(o.workRoot, `${experiment.id}-${suggestion.id}`),
        ...(o.timeoutSeconds !== undefined ? { timeoutSeconds: o.timeoutSeconds } : {}),
        signal: stop.signal,
      });
      running--;
      if (exit.kind === 'cancelled') return;
      const outcome = toObservation(exit, suggestion, experiment);
      await handle.observations.create(outcome.body);
      open.delete(suggestion.id);
      done++;
      completed++;
      const elapsed = (Date.now() - started) / 1000;
      seconds += elapsed;
      if (outcome.failure !== undefined) failed++;
      const value = firstMetric ? outcome.body.values?.find((v) => (v.name ?? null) === firstMetric.name)?.value : undefined;
      if (value !== undefined && (best === null || (firstMetric?.objective === 'minimize' ? value < best.value : value > best.value)))
        best = { value, suggestionId: suggestion.id };
      const finished: TrialOutcome = {
        suggestionId: suggestion.id,
        assignments: suggestion.assignments,
        seconds: elapsed,
        ...(outcome.body.values ? { values: outcome.body.values } : {}),
        ...(outcome.failure !== undefined ? { failure: outcome.failure } : {}),
      };
      progress.finished(finished, state());
    }
  };

  const guarded = () =>
    worker().catch((err: unknown) => {
      stop.abort();
      throw err;
    });
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, o.parallel) }, guarded));
  o.signal.removeEventListener('abort', onCancel);
  // Whatever stopped the run (Ctrl-C or an error), no suggestion of it stays open.
  for (const id of open) await handle.suggestions.delete(id).catch(() => undefined);
  const error = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (error) throw error.reason;
  experiment = await handle.get();
  return { experiment, completed, failed, cancelled: o.signal.aborted, best: await handle.bestAssignments() };
}

async function openExperiment(o: OptimizeRunOptions): Promise<Experiment> {
  const { client } = o;
  if ('create' in o.experiment) {
    const body = o.experiment.create;
    return client.experiments.create({
      ...body,
      ...(o.budget !== undefined ? { observation_budget: o.budget } : {}),
      ...(o.parallel > 1 && body.parallel_bandwidth == null ? { parallel_bandwidth: o.parallel } : {}),
    });
  }
  const experiment = await client.experiment(o.experiment.resume).get();
  if (experiment.state === 'deleted') throw new CliError(`experiment ${experiment.id} is deleted`);
  const update = {
    ...(o.budget !== undefined && o.budget !== experiment.observation_budget ? { observation_budget: o.budget } : {}),
    ...(o.parallel > 1 && experiment.parallel_bandwidth !== o.parallel ? { parallel_bandwidth: o.parallel } : {}),
  };
  return Object.keys(update).length > 0 ? client.experiment(experiment.id).update({ ...update, no_optimize: true }) : experiment;
}

/** A run killed without the chance to clean up (SIGKILL, power loss) left open suggestions: drop them before continuing. */
async function deleteLeftovers(o: OptimizeRunOptions, experimentId: string): Promise<void> {
  const handle = o.client.experiment(experimentId);
  const leftovers: string[] = [];
  for await (const s of handle.suggestions.list({ state: 'open' })) if (s.metadata?.source === OPTIMIZE_SOURCE) leftovers.push(s.id);
  for (const id of leftovers) await handle.suggestions.delete(id);
  if (leftovers.length > 0) o.progress.note(`Deleted ${leftovers.length} open suggestion(s) left by an earlier run.`);
}

/** The observation for a finished evaluation: its metrics, or a failure with the reason. */
export function toObservation(
  exit: Exclude<TrialExit, { kind: 'cancelled' }>,
  suggestion: Suggestion,
  experiment: Experiment,
): { body: ObservationCreate; failure?: string } {
  const failedWith = (reason: string, extra: Metadata = {}) => ({
    body: { suggestion: suggestion.id, failed: true, metadata: { failure_reason: reason.slice(0, 500), ...extra } },
    failure: reason,
  });
  switch (exit.kind) {
    case 'spawn-error':
      return failedWith(exit.message);
    case 'timeout':
      return failedWith(`timeout after ${exit.seconds} s`, tail(exit.stderr));
    case 'signal':
      return failedWith(`killed by ${exit.signal}`, tail(exit.stderr));
    case 'exited': {
      if (exit.code !== 0) return failedWith(`exit code ${exit.code}`, { exit_code: exit.code, ...tail(exit.stderr) });
      const parsed = parseMetrics(exit.metricsFile ?? lastLine(exit.stdout), experiment.metrics);
      if ('error' in parsed) return failedWith(parsed.error);
      return { body: { suggestion: suggestion.id, values: parsed.values } };
    }
  }
}

/** The end of stderr for the metadata (values are limited to 500 characters, docs/api-compatibility.md#metadata-rules). */
function tail(stderr: string): Metadata {
  const t = stderr.trim();
  return t === '' ? {} : { stderr_tail: t.slice(-400) };
}
