import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { benchProblems, problemByName } from './functions/index.ts';
import { RUN_MODES, type RunMode } from './job.ts';
import { OPTIMIZER_NAMES, type OptimizerName } from './optimizers/bench-optimizer.ts';

/** Parsed command line of `npm run bench:optimizer`. */
export interface BenchOptions {
  readonly functions: readonly string[];
  readonly seeds: number;
  readonly optimizers: readonly OptimizerName[];
  readonly modes: readonly RunMode[];
  readonly jobs: number;
  readonly fresh: boolean;
  readonly runQuality: boolean;
  readonly runCost: boolean;
  /** (dimension, observations) pairs of the cost benchmark. */
  readonly costPoints: readonly { readonly d: number; readonly n: number }[];
  readonly costReps: number;
  /** Quality selection narrower than the full suite: results go to the scratch folder. */
  readonly partialQuality: boolean;
  readonly partialCost: boolean;
  /** Folder for the result files; null = bench/results (full runs) or bench/results/tmp. */
  readonly outDir: string | null;
}

/** Seeds per function in the full suite (issue 3). */
export const FULL_SEEDS = 10;
const QUICK_FUNCTIONS = ['branin', 'hartmann3', 'mixed'];
/** Issue 11's three target points, then larger histories for the trend. */
const FULL_COST_POINTS = ['5x100', '10x500', '20x2000', '5x1000', '20x5000'];

/** Help text printed by `--help`. */
export const USAGE = `Usage: npm run bench:optimizer -- [options]

With no options: the full quality suite (13 functions x 10 seeds x seq/par4 x sextant/tpe/random)
and the engine-cost benchmark; results go to bench/results/optimizer-{quality,cost}.{json,md}.
Narrower runs write to bench/results/tmp/ instead (unless --out is given).

  --functions a,b      functions to run (default: all: ${benchProblems.map((p) => p.name).join(', ')})
  --seeds N            seeds 1..N per function (default ${FULL_SEEDS})
  --optimizers a,b     any of ${OPTIMIZER_NAMES.join(', ')} (default: all)
  --modes a,b          seq (one worker) and/or par4 (4 async workers) (default: both)
  --quick              2 seeds on ${QUICK_FUNCTIONS.join(', ')}; no cost benchmark unless --cost
  --jobs N             parallel runs (default: available cores)
  --fresh              ignore cached runs in bench/results/tmp/optimizer/
  --cost               also run the cost benchmark after a narrowed quality run
  --cost-only          only the cost benchmark
  --cost-points DxN,…  dimension x observations of each cost point (default ${FULL_COST_POINTS.join(',')})
  --cost-reps N        warm steps per cost point (default 60)
  --out DIR            folder for the result files
`;

function list(v: string | undefined): string[] | null {
  return v === undefined
    ? null
    : v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
}

function positiveInt(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${v}`);
  return n;
}

/** Parses argv (without node and script). Throws with a readable message on bad input. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      functions: { type: 'string' },
      seeds: { type: 'string' },
      optimizers: { type: 'string' },
      modes: { type: 'string' },
      quick: { type: 'boolean', default: false },
      jobs: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      cost: { type: 'boolean', default: false },
      'cost-only': { type: 'boolean', default: false },
      'cost-points': { type: 'string' },
      'cost-reps': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help === true) return 'help';
  const quick = values.quick === true;
  const functions = list(values.functions) ?? (quick ? QUICK_FUNCTIONS : benchProblems.map((p) => p.name));
  for (const f of functions) problemByName(f);
  const optimizers = (list(values.optimizers) ?? [...OPTIMIZER_NAMES]) as OptimizerName[];
  for (const o of optimizers) {
    if (!OPTIMIZER_NAMES.includes(o)) throw new Error(`unknown optimizer ${o}`);
  }
  const modes = (list(values.modes) ?? [...RUN_MODES]) as RunMode[];
  for (const m of modes) if (!RUN_MODES.includes(m)) throw new Error(`unknown mode ${m}`);
  const seeds = positiveInt(values.seeds, '--seeds', quick ? 2 : FULL_SEEDS);
  const costPointNames = list(values['cost-points']) ?? FULL_COST_POINTS;
  const costPoints = costPointNames.map((p) => {
    const m = /^(\d+)x(\d+)$/.exec(p);
    if (!m) throw new Error(`--cost-points takes DxN pairs like 5x100, got ${p}`);
    return { d: positiveInt(m[1], '--cost-points', 1), n: positiveInt(m[2], '--cost-points', 1) };
  });
  const partialQuality =
    seeds < FULL_SEEDS ||
    functions.length < benchProblems.length ||
    optimizers.length < OPTIMIZER_NAMES.length ||
    modes.length < RUN_MODES.length;
  const costOnly = values['cost-only'] === true;
  return {
    functions,
    seeds,
    optimizers,
    modes,
    jobs: positiveInt(values.jobs, '--jobs', availableParallelism()),
    fresh: values.fresh === true,
    runQuality: !costOnly,
    runCost: costOnly || values.cost === true || !partialQuality,
    costPoints,
    costReps: positiveInt(values['cost-reps'], '--cost-reps', 60),
    partialQuality,
    partialCost: !FULL_COST_POINTS.every((p) => costPointNames.includes(p)),
    outDir: values.out ?? null,
  };
}
