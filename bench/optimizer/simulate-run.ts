import type { Rng } from '../../src/numerics/rng.ts';
import type { Assignments } from '../../src/optimizer/experiment-spec.ts';
import type { BenchProblem } from './functions/problem.ts';
import type { BenchOptimizer, Ticket } from './optimizers/bench-optimizer.ts';

/** One completed evaluation, in completion order. */
export interface EvaluationRecord {
  readonly assignments: Assignments;
  readonly scores: readonly number[];
}

/**
 * Runs one optimization with `workers` simulated asynchronous workers: keep `workers` suggestions
 * open, complete the oldest, ask again (the other open ones are the optimizer's pending points).
 * `workers = 1` is the plain sequential loop. Stops after `problem.budget` completed evaluations;
 * the last rounds ask for fewer points so no suggestion is left unevaluated.
 *
 * `evalRng` supplies observation noise and is consumed once per evaluation in completion order,
 * so all optimizers face the same noise sequence for a given seed.
 */
export async function simulateRun(
  problem: BenchProblem,
  optimizer: BenchOptimizer,
  workers: number,
  evalRng: Rng,
): Promise<EvaluationRecord[]> {
  const open: Ticket[] = [];
  const done: EvaluationRecord[] = [];
  while (done.length < problem.budget) {
    while (open.length < workers && done.length + open.length < problem.budget) {
      open.push(await optimizer.ask());
    }
    const ticket = open.shift();
    if (ticket === undefined) break;
    const evaluation = problem.evaluate(ticket.assignments, evalRng);
    await optimizer.tell(ticket, evaluation.values);
    done.push({ assignments: ticket.assignments, scores: evaluation.scores });
  }
  return done;
}
