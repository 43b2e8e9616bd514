import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { REPO_ROOT } from './job.ts';
import { SYSTEM_PYTHON } from './optimizers/tpe-optimizer.ts';

/** Facts about the machine and versions, recorded in every result file. */
export function describeEnvironment(): Record<string, string> {
  const run = (cmd: string, args: string[]): string => {
    const r = spawnSync(cmd, args, { cwd: REPO_ROOT, encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : 'unknown';
  };
  return {
    node: process.version,
    cpu: `${cpus()[0]?.model.trim() ?? 'unknown'} × ${cpus().length}`,
    optuna: run(SYSTEM_PYTHON, ['-c', 'import optuna; print(optuna.__version__)']),
    commit: run('git', ['rev-parse', '--short', 'HEAD']),
  };
}
