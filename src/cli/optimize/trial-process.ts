import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Assignments } from '../../client/index.ts';

/** How one evaluation ended. */
export type TrialExit =
  | {
      readonly kind: 'exited';
      readonly code: number;
      readonly stdout: string;
      readonly stderr: string;
      readonly metricsFile: string | null;
    }
  | { readonly kind: 'signal'; readonly signal: string; readonly stderr: string }
  | { readonly kind: 'timeout'; readonly seconds: number; readonly stderr: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'spawn-error'; readonly message: string };

/** One evaluation to run. */
export interface TrialSpec {
  /** The command and its arguments, `{name}` placeholders not yet filled. */
  readonly command: readonly string[];
  readonly assignments: Assignments;
  readonly experimentId: string;
  readonly suggestionId: string;
  /** A private directory for the assignments and metrics files (removed afterwards). */
  readonly workDir: string;
  /** Seconds before the run is killed; undefined = no limit. */
  readonly timeoutSeconds?: number;
  /** Aborting kills the run (Ctrl-C). */
  readonly signal: AbortSignal;
}

/** Output kept per stream: the metrics are on the last line, the reason of a failure near the end. */
const KEEP_BYTES = 64 * 1024;
/** SIGTERM first; a run that ignores it this long gets SIGKILL. */
const KILL_GRACE_MS = 3000;

/** `learning_rate` → `SEXTANT_PARAM_LEARNING_RATE` (non-alphanumerics become `_`). */
export function paramEnvName(name: string): string {
  return `SEXTANT_PARAM_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Renders an assignment for a command line or environment variable (a hidden conditional parameter is empty). */
export function renderValue(value: Assignments[string] | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/**
 * Fills `{name}` placeholders whose name is a parameter; other braces (shell syntax, JSON) stay as
 * they are.
 */
export function fillPlaceholders(args: readonly string[], assignments: Assignments): string[] {
  return args.map((arg) =>
    arg.replace(/\{([A-Za-z_][\w.-]*)\}/g, (whole, name: string) => (name in assignments ? renderValue(assignments[name]) : whole)),
  );
}

/**
 * Runs the command once for a suggestion. The assignments reach it three ways: `{name}`
 * placeholders, `SEXTANT_PARAM_<NAME>` variables, and the JSON file named by
 * `SEXTANT_ASSIGNMENTS_FILE`. It may write its metrics as JSON to `SEXTANT_METRICS_FILE`.
 * The run gets its own process group so a timeout or Ctrl-C stops everything it started
 * (a shell script's children too), not just the first process.
 */
export async function runTrial(spec: TrialSpec): Promise<TrialExit> {
  if (spec.signal.aborted) return { kind: 'cancelled' };
  await mkdir(spec.workDir, { recursive: true });
  const assignmentsFile = join(spec.workDir, 'assignments.json');
  const metricsFile = join(spec.workDir, 'metrics.json');
  await writeFile(assignmentsFile, `${JSON.stringify(spec.assignments, null, 2)}\n`);
  const env: Record<string, string | undefined> = {
    ...process.env,
    SEXTANT_ASSIGNMENTS_FILE: assignmentsFile,
    SEXTANT_METRICS_FILE: metricsFile,
    SEXTANT_EXPERIMENT_ID: spec.experimentId,
    SEXTANT_SUGGESTION_ID: spec.suggestionId,
  };
  for (const [name, value] of Object.entries(spec.assignments)) env[paramEnvName(name)] = renderValue(value);
  const [file, ...args] = fillPlaceholders(spec.command, spec.assignments);
  try {
    const exit = await spawnAndWait(file!, args, env, spec);
    if (exit.kind !== 'exited') return exit;
    const metrics = await readFile(metricsFile, 'utf8').catch(() => null);
    return { ...exit, metricsFile: metrics };
  } finally {
    await rm(spec.workDir, { recursive: true, force: true });
  }
}

function spawnAndWait(file: string, args: string[], env: Record<string, string | undefined>, spec: TrialSpec): Promise<TrialExit> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let ending: 'timeout' | 'cancelled' | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    const keep = (buf: string, chunk: Buffer) => (buf + chunk.toString('utf8')).slice(-KEEP_BYTES);
    child.stdout.on('data', (c: Buffer) => (stdout = keep(stdout, c)));
    child.stderr.on('data', (c: Buffer) => (stderr = keep(stderr, c)));
    const stop = (why: 'timeout' | 'cancelled') => {
      if (ending) return;
      ending = why;
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const timer = spec.timeoutSeconds !== undefined ? setTimeout(() => stop('timeout'), spec.timeoutSeconds * 1000) : undefined;
    const onAbort = () => stop('cancelled');
    spec.signal.addEventListener('abort', onAbort, { once: true });
    const finish = (exit: TrialExit) => {
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      spec.signal.removeEventListener('abort', onAbort);
      resolve(exit);
    };
    child.on('error', (err) => finish({ kind: 'spawn-error', message: `cannot run ${file}: ${err.message}` }));
    child.on('close', (code, signal) => {
      if (ending === 'timeout') return finish({ kind: 'timeout', seconds: spec.timeoutSeconds ?? 0, stderr });
      if (ending === 'cancelled') return finish({ kind: 'cancelled' });
      if (signal) return finish({ kind: 'signal', signal, stderr });
      finish({ kind: 'exited', code: code ?? 1, stdout, stderr, metricsFile: null });
    });
  });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
