/**
 * `npm run bench:optimizer`: the optimizer quality benchmark (sextant vs Optuna TPE vs random on
 * the suite of issue 3) and the engine-cost benchmark. See docs/benchmarks.md and `--help`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomReference, summarizeProblemMode, type ProblemModeSummary } from './aggregate.ts';
import { parseBenchOptions, USAGE, type BenchOptions } from './cli-options.ts';
import { measureCost, type CostPoint } from './cost.ts';
import { renderCostMarkdown, type CostReport } from './cost-report.ts';
import { describeEnvironment } from './environment.ts';
import { optimizerFingerprint } from './fingerprint.ts';
import { problemByName } from './functions/index.ts';
import { runPool } from './job-pool.ts';
import { REPO_ROOT, cachePath, jobKey, readCached, type Job, type JobResult } from './job.ts';
import type { OptimizerName } from './optimizers/bench-optimizer.ts';
import { createProgress } from './progress.ts';
import { renderQualityMarkdown, type QualityReport } from './quality-report.ts';

const command = `npm run bench:optimizer${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

async function main(): Promise<void> {
  let parsed: BenchOptions | 'help';
  try {
    parsed = parseBenchOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (parsed === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const options = parsed;
  const environment = describeEnvironment();
  if (options.runQuality) await runQuality(options, environment);
  if (options.runCost) await runCost(options, environment);
}

function outDir(options: BenchOptions, partial: boolean): string {
  return options.outDir ?? join(REPO_ROOT, partial ? 'bench/results/tmp' : 'bench/results');
}

async function runQuality(options: BenchOptions, environment: Record<string, string>): Promise<void> {
  const fingerprints: Partial<Record<OptimizerName, string>> = {};
  for (const o of options.optimizers) fingerprints[o] = await optimizerFingerprint(o);
  const jobs: Job[] = [];
  for (const problem of options.functions) {
    for (const mode of options.modes) {
      for (const optimizer of options.optimizers) {
        for (let seed = 1; seed <= options.seeds; seed++) {
          jobs.push({ optimizer, problem, mode, seed, fingerprint: fingerprints[optimizer] ?? '' });
        }
      }
    }
  }
  const todo: Job[] = [];
  for (const job of jobs) if (options.fresh || (await readCached(job)) === null) todo.push(job);
  process.stdout.write(
    `quality: ${jobs.length} runs, ${jobs.length - todo.length} cached, ${todo.length} to run on ${options.jobs} process(es)\n`,
  );
  // Slow optimizers first, so the pool does not end with one long run on an otherwise idle machine.
  const weight = (j: Job): number => problemByName(j.problem).budget * (j.optimizer === 'random' ? 0.01 : 1);
  todo.sort((a, b) => weight(b) - weight(a));
  const progress = createProgress(todo.length);
  const t0 = Date.now();
  const outcomes = await runPool(todo, options.jobs, (o) => progress.tick(`${jobKey(o.job)}${o.error === null ? '' : ' FAILED'}`));
  progress.done();
  process.stdout.write(`quality: ran ${outcomes.length} runs in ${Math.round((Date.now() - t0) / 1000)} s\n`);

  const results: JobResult[] = [];
  const failures: string[] = [];
  for (const job of jobs) {
    const r = await readCached(job);
    if (r !== null) {
      results.push(r);
      continue;
    }
    let reason = 'no result';
    try {
      const raw = JSON.parse(await readFile(cachePath(job), 'utf8')) as JobResult;
      reason = raw.error?.split('\n')[0] ?? reason;
    } catch {
      // Keep the generic reason: the worker died before writing anything.
    }
    failures.push(`${jobKey(job)}: ${reason}`);
  }
  const rows: ProblemModeSummary[] = [];
  for (const name of options.functions) {
    const problem = problemByName(name);
    const reference = randomReference(problem);
    for (const mode of options.modes) rows.push(summarizeProblemMode(problem, mode, reference, results));
  }
  const report: QualityReport = {
    generated: new Date().toISOString(),
    command,
    partial: options.partialQuality,
    seeds: options.seeds,
    optimizers: options.optimizers,
    modes: options.modes,
    environment,
    fingerprints,
    failures,
    rows,
  };
  const dir = outDir(options, options.partialQuality);
  await mkdir(dir, { recursive: true });
  const base = join(dir, options.partialQuality ? 'optimizer-quality.partial' : 'optimizer-quality');
  const md = renderQualityMarkdown(report);
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 1)}\n`);
  await writeFile(`${base}.md`, md);
  process.stdout.write(`${md}\nwrote ${base}.json and ${base}.md\n`);
  if (failures.length > 0) process.exitCode = 1;
}

async function runCost(options: BenchOptions, environment: Record<string, string>): Promise<void> {
  const points: CostPoint[] = [];
  const progress = createProgress(options.costPoints.length);
  for (const { d, n } of options.costPoints) {
    progress.tick(`cost d=${d} n=${n}`);
    points.push(measureCost(d, n, options.costReps));
  }
  progress.done();
  const report: CostReport = {
    generated: new Date().toISOString(),
    command,
    partial: options.partialCost,
    reps: options.costReps,
    environment,
    fingerprint: await optimizerFingerprint('sextant'),
    points,
  };
  const dir = outDir(options, options.partialCost);
  await mkdir(dir, { recursive: true });
  const base = join(dir, options.partialCost ? 'optimizer-cost.partial' : 'optimizer-cost');
  const md = renderCostMarkdown(report);
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 1)}\n`);
  await writeFile(`${base}.md`, md);
  process.stdout.write(`${md}\nwrote ${base}.json and ${base}.md\n`);
}

await main();
