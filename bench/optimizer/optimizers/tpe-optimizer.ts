import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { EngineValue } from '../../../src/optimizer/engine-types.ts';
import type { Assignments, ExperimentSpec } from '../../../src/optimizer/experiment-spec.ts';
import type { AskTiming, BenchOptimizer, Ticket } from './bench-optimizer.ts';

/** Debian's python3-optuna installs for the system interpreter, not for a pyenv one on PATH. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

const DRIVER = fileURLToPath(new URL('../optuna_driver.py', import.meta.url));

/** Optuna's view of a parameter, as the driver expects it. */
export interface OptunaParam {
  readonly name: string;
  readonly type: 'float' | 'int' | 'categorical';
  readonly low?: number;
  readonly high?: number;
  readonly log?: boolean;
  readonly choices?: readonly string[];
}

/** The parts of an experiment spec the driver needs: distributions, directions, constraints. */
export function optunaProblem(spec: ExperimentSpec): {
  params: OptunaParam[];
  objectives: string[];
  constraints: { name: string; threshold: number; sign: number }[];
} {
  const params: OptunaParam[] = spec.parameters
    .filter((p) => !p.deleted)
    .map((p) => {
      if (p.type === 'categorical') {
        const choices = (p.categoricalValues ?? []).filter((v) => !v.deleted).map((v) => v.name);
        return { name: p.name, type: 'categorical', choices };
      }
      if (p.bounds === null) throw new Error(`parameter ${p.name} has no bounds`);
      return {
        name: p.name,
        type: p.type === 'int' ? 'int' : 'float',
        low: p.bounds.min,
        high: p.bounds.max,
        log: p.transformation === 'log',
      };
    });
  const objectives = spec.metrics.filter((m) => m.strategy === 'optimize').map((m) => m.name ?? '');
  const constraints = spec.metrics
    .filter((m) => m.strategy === 'constraint')
    .map((m) => ({
      name: m.name ?? '',
      threshold: m.threshold ?? 0,
      // Optuna wants "≤ 0 is feasible"; a maximize-constraint (≥ threshold) flips the sign.
      sign: m.objective === 'minimize' ? 1 : -1,
    }));
  return { params, objectives, constraints };
}

/**
 * Optuna's TPESampler (default settings, given seed) in a child Python process. `constantLiar` is
 * Optuna's documented switch for parallel workers; the harness turns it on for the parallel mode.
 * Maximized objectives are not needed by the suite and are rejected.
 */
export async function createTpeOptimizer(
  spec: ExperimentSpec,
  seed: number,
  constantLiar: boolean,
): Promise<BenchOptimizer> {
  if (spec.metrics.some((m) => m.strategy === 'optimize' && m.objective !== 'minimize')) {
    throw new Error('the TPE driver only handles minimized objectives');
  }
  const problem = optunaProblem(spec);
  const child = spawn(SYSTEM_PYTHON, [DRIVER], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<never>((_, reject) => {
    child.on('exit', (code) => reject(new Error(`optuna driver exited (${code}): ${stderr}`)));
    child.on('error', reject);
  });
  exited.catch(() => undefined);
  const request = async (msg: unknown): Promise<Record<string, unknown>> => {
    child.stdin.write(`${JSON.stringify(msg)}\n`);
    const next = await Promise.race([lines.next(), exited]);
    if (next.done === true) throw new Error(`optuna driver closed its output: ${stderr}`);
    const reply = JSON.parse(next.value) as Record<string, unknown>;
    if (typeof reply['error'] === 'string') throw new Error(`optuna driver: ${reply['error']}`);
    return reply;
  };
  await request({
    params: problem.params,
    directions: problem.objectives.map(() => 'minimize'),
    constrained: problem.constraints.length > 0,
    seed,
    constant_liar: constantLiar,
  });
  const timings: AskTiming[] = [];
  return {
    timings,
    async ask(): Promise<Ticket> {
      const t0 = performance.now();
      const reply = await request({ cmd: 'ask' });
      timings.push({ wallMs: performance.now() - t0, fitMs: null, acquisitionMs: null, strategy: 'tpe' });
      return { id: Number(reply['id']), assignments: reply['params'] as Assignments };
    },
    async tell(ticket: Ticket, values: readonly EngineValue[]) {
      const byName = new Map(values.map((v) => [v.name ?? '', v.value]));
      const get = (name: string): number => {
        const v = byName.get(name);
        if (v === undefined) throw new Error(`missing value for metric ${name}`);
        return v;
      };
      await request({
        cmd: 'tell',
        id: ticket.id,
        values: problem.objectives.map(get),
        constraints: problem.constraints.map((c) => c.sign * (get(c.name) - c.threshold)),
      });
    },
    close() {
      child.stdin.end(`${JSON.stringify({ cmd: 'close' })}\n`);
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
    },
  };
}
