/**
 * Figures and Markdown of the data-scale benchmark (bench/service/data-scale.ts): one phase's
 * numbers from a simulation report, and the two-phase table with the p50 ratio against the target.
 */
import type { SimulationSettings } from '../../src/sim/simulation-options.ts';
import type { SimulationReport } from '../../src/sim/simulation-report.ts';
import { modelShare, type RunCpu } from './bench-common.ts';

/** Issue 5: p50 cycle latency at 10^6 observations within this factor of the empty database. */
export const TARGET_P50_RATIO = 1.25;

export interface PhaseFigures {
  readonly phase: 'empty' | 'loaded';
  readonly error: string | null;
  readonly load: { seconds: number; observations: number; experiments: number; statements: { label: string; seconds: number }[] } | null;
  /** Observations the trigger gave the simulator's own experiments (loaded phase). */
  readonly history: { experiments: number; observations: number; largest: number } | null;
  readonly cyclesPerSecond: number | null;
  readonly cycleLatencyMs: { p50: number; p95: number; p99: number } | null;
  readonly suggestionP99Ms: number | null;
  readonly observationP99Ms: number | null;
  readonly sources: Readonly<Record<string, number>>;
  readonly modelShare: number | null;
  readonly errors: number | null;
  /** Stored observations (read back through the API) = acknowledged + preloaded history. */
  readonly verified: boolean | null;
  readonly cpu: RunCpu | null;
  readonly serverMeanMsByRoute: Readonly<Record<string, number>>;
  readonly loadAverageAtStart: readonly number[];
}

export function phaseFigures(
  phase: 'empty' | 'loaded',
  r: SimulationReport | null,
  cpu: RunCpu | null,
  load: PhaseFigures['load'],
  history: PhaseFigures['history'],
  error: string | null = null,
): PhaseFigures {
  const v = r?.verification;
  const preloaded = history?.observations ?? 0;
  return {
    phase,
    error,
    load,
    history,
    cyclesPerSecond: r?.summary.cyclesPerSecond ?? null,
    cycleLatencyMs: r ? { p50: r.summary.cycleLatency.p50, p95: r.summary.cycleLatency.p95, p99: r.summary.cycleLatency.p99 } : null,
    suggestionP99Ms: r?.endpoints['suggestion.create']?.latency.p99 ?? null,
    observationP99Ms: r?.endpoints['observation.create']?.latency.p99 ?? null,
    sources: r?.sourceMix.counts ?? {},
    modelShare: r ? modelShare(r.sourceMix.counts) : null,
    errors: r?.summary.errors ?? null,
    verified: v && v.observationsStored !== null ? v.observationsStored === v.observationsAcknowledged + preloaded : null,
    cpu,
    serverMeanMsByRoute: r?.server?.serverMeanMsByRoute ?? {},
    loadAverageAtStart: r?.environment.loadAverageAtStart ?? [],
  };
}

const show = (v: number | null | undefined, digits = 0) => (v === null || v === undefined ? '—' : String(Math.round(v * 10 ** digits) / 10 ** digits));

const label = (p: PhaseFigures) => (p.phase === 'empty' ? 'A: empty' : 'B: loaded');

export interface ScaleResult {
  readonly date: string;
  readonly command: string;
  readonly commit: string;
  readonly machine: { cpus: string; memoryGiB: number; loadAverageAtStart: readonly number[]; loadAverageAtEnd: readonly number[] };
  readonly interrupted: boolean;
  readonly settings: SimulationSettings;
  readonly p50Ratio: number | null;
  readonly meetsTarget: boolean | null;
  readonly phases: readonly PhaseFigures[];
}

export function scaleMarkdown(r: ScaleResult): string {
  const loaded = r.phases.find((p) => p.phase === 'loaded');
  const s = r.settings;
  return [
    `# Data scale (${r.date.slice(0, 10)}, commit ${r.commit}${r.interrupted ? ', INTERRUPTED' : ''})`,
    '',
    `\`${r.command}\``,
    '',
    `Machine: ${r.machine.cpus}, ${r.machine.memoryGiB} GiB; load average ${r.machine.loadAverageAtStart.join(' / ')} at start, ` +
      `${r.machine.loadAverageAtEnd.join(' / ')} at end (1/5/15 min; numbers from a loaded machine are not comparable with an idle one). Load generator on the same machine.`,
    '',
    `Workload per phase: ${s.experiments} experiments, ${s.clients} clients, ${s.evalMs} ms evaluations, ${s.durationSeconds} s, seed ${s.seed}; ` +
      'distributed mode, a fresh PostgreSQL database and Redis prefix per phase.',
    '',
    loaded?.load
      ? `Phase B database: ${loaded.load.observations} observations over ${loaded.load.experiments} experiments (set-based load + ANALYZE in ${loaded.load.seconds} s)` +
        (loaded.history
          ? `; ${loaded.history.experiments} of the simulator's experiments started with a history of ${loaded.history.observations} observations in all (largest ${loaded.history.largest}).`
          : '.')
      : 'Phase B database: not loaded (see the errors).',
    '',
    ...r.phases
      .filter((p) => p.phase === 'empty' && p.history)
      .map((p) => `Phase A (--baseline-history): ${p.history!.experiments} of the simulator's experiments started with ${p.history!.observations} observations in all; nothing else was loaded.\n`),
    '| phase | cycles/s | cycle p50 ms | p95 | p99 | suggestion p99 ms | observation p99 ms | suggestions by source | model share | errors | verified | CPU cores: API / workers / load gen. | load 1m at start |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...r.phases.map((p) =>
      p.error
        ? `| ${label(p)} | FAILED: ${p.error} ||||||||||||`
        : `| ${label(p)} | ${show(p.cyclesPerSecond, 1)} | ${show(p.cycleLatencyMs?.p50)} | ${show(p.cycleLatencyMs?.p95)} | ` +
          `${show(p.cycleLatencyMs?.p99)} | ${show(p.suggestionP99Ms)} | ${show(p.observationP99Ms)} | ${JSON.stringify(p.sources)} | ` +
          `${p.modelShare === null ? '—' : `${Math.round(p.modelShare * 1000) / 10} %`} | ${show(p.errors)} | ${p.verified === null ? '—' : p.verified ? 'yes' : 'NO'} | ` +
          `${show(p.cpu?.apiCpuCores, 2)} / ${show(p.cpu?.workerCpuCores, 2)} / ${show(p.cpu?.loadGeneratorCpuCores, 2)} | ${show(p.loadAverageAtStart[0], 1)} |`,
    ),
    '',
    `**p50 ratio B / A: ${r.p50Ratio ?? '—'}** (target ≤ ${TARGET_P50_RATIO}: ${r.meetsTarget === null ? 'not measured' : r.meetsTarget ? 'met' : '**missed**'}).`,
    '',
    'Verified = the observations stored (read back through the API) equal those acknowledged plus the preloaded history of the simulator’s experiments. ' +
      'Phase B’s experiments with a history skip the initial design, so its source mix differs from phase A’s: compare the model shares too.',
    '',
    'Server mean handling time per route (ms, /metrics): ' + r.phases.map((p) => `${p.phase} ${JSON.stringify(p.serverMeanMsByRoute)}`).join('; '),
    '',
  ].join('\n');
}
