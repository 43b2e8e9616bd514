import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SextantClient, type Observation } from '../../src/client/index.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => join(root, 'test/cli/fixtures', name);

interface Run {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** `sextant optimize …` as a child process (asynchronous: the server under test shares this event loop). */
function optimize(args: readonly string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'optimize', ...args], {
    cwd: root,
    env: { ...process.env, SEXTANT_API_TOKEN: '', SEXTANT_URL: '', SIGOPT_API_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

/** Polls until `check` holds (bounded; the assertion is about the state reached, not the time). */
async function until(check: () => Promise<boolean>, what: string, limitMs = 60_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function created(stderr: string): string {
  const id = /experiment (\d+) "/.exec(stderr)?.[1];
  if (!id) throw new Error(`no experiment id in: ${stderr}`);
  return id;
}

async function observations(sx: SextantClient, id: string): Promise<Observation[]> {
  const all: Observation[] = [];
  for await (const o of sx.experiment(id).observations.list()) all.push(o);
  return all;
}

describe('sextant optimize', () => {
  let srv: TestServer;
  let sx: SextantClient;
  let scratch: string;
  const connect = () => ['--url', srv.url, '--token', srv.token];

  beforeAll(async () => {
    srv = await startTestServer('pglite', { settings: { 'suggestion.wait_ms': 1000 } });
    sx = new SextantClient({ url: srv.url, token: srv.token });
    scratch = await mkdtemp(join(tmpdir(), 'sextant-optimize-test-'));
  }, 60_000);
  afterAll(async () => {
    await srv?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('tunes a script end to end: placeholders, env vars and the assignments file in, the last stdout line out', async () => {
    const run = optimize([
      '--experiment',
      fixture('quadratic.yml'),
      ...connect(),
      '--',
      process.execPath,
      fixture('quadratic.mjs'),
      '--y',
      '{y}',
    ]);
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    const id = created(r.stderr);
    const all = await observations(sx, id);
    expect(all).toHaveLength(12);
    expect(all.filter((o) => o.failed)).toEqual([]);
    // The metrics came from the command: each loss is the objective at the suggestion's assignments.
    for (const o of all) {
      const { x, y, mode } = o.assignments as { x: number; y: number; mode: string };
      const loss = o.values.find((v) => v.name === 'loss')!.value;
      expect(loss).toBeCloseTo((x - 0.3) ** 2 + (y - 2) ** 2 / 10 + (mode === 'good' ? 0 : 0.5), 9);
      expect(o.values.find((v) => v.name === 'x_seen')!.value).toBeCloseTo(x, 9);
    }
    const [best] = await sx.experiment(id).bestAssignments();
    expect(best!.assignments.mode).toBe('good');
    expect(best!.values.find((v) => v.name === 'loss')!.value).toBeLessThan(0.2);
    expect(r.stdout).toContain('Best assignments');
    expect(r.stdout).toMatch(/Done: experiment \d+, 12\/12 observations/);
    expect(await sx.experiment(id).suggestions.page({ state: 'open' })).toMatchObject({ count: 0 });
  });

  it('records failed observations with the reason: non-zero exit, missing metrics, timeout; a JSON metrics file also works', async () => {
    const file = join(scratch, 'two.json');
    await writeFile(
      file,
      JSON.stringify({
        name: 'failures',
        parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
        metrics: ['loss'],
        budget: 1,
      }),
    );
    const cases: [string[], Record<string, unknown>][] = [
      [
        ['--', process.execPath, '-e', 'console.error("boom"); process.exit(3)'],
        { failure_reason: 'exit code 3', exit_code: 3, stderr_tail: 'boom' },
      ],
      [
        ['--', process.execPath, '-e', 'console.log("training done")'],
        { failure_reason: 'no metrics in the last output line: "training done"' },
      ],
      [['--timeout', '1', '--', process.execPath, '-e', 'setTimeout(() => {}, 60000)'], { failure_reason: 'timeout after 1 s' }],
    ];
    for (const [args, metadata] of cases) {
      const r = await optimize(['--experiment', file, ...connect(), ...args]).done;
      expect(r.code, r.stderr).toBe(0);
      const [o] = await observations(sx, created(r.stderr));
      expect(o!.failed).toBe(true);
      expect(o!.metadata).toEqual(metadata);
    }

    const viaFile = await optimize([
      '--experiment',
      file,
      ...connect(),
      '--',
      process.execPath,
      '-e',
      'require("fs").writeFileSync(process.env.SEXTANT_METRICS_FILE, JSON.stringify({loss: 0.25}))',
    ]).done;
    expect(viaFile.code, viaFile.stderr).toBe(0);
    const [stored] = await observations(sx, created(viaFile.stderr));
    expect(stored!.values).toEqual([expect.objectContaining({ name: 'loss', value: 0.25 })]);
  });

  it('--parallel 4 keeps four evaluations running (each waits until four have started)', async () => {
    const barrier = join(scratch, 'barrier');
    await mkdir(barrier);
    // Each evaluation marks itself and waits for four marks: with fewer than four at once it would time out and fail.
    const script = `const fs=require('fs'),p=require('path');const d=${JSON.stringify(barrier)};fs.writeFileSync(p.join(d,process.env.SEXTANT_SUGGESTION_ID),'');const t=setInterval(()=>{if(fs.readdirSync(d).length>=4){clearInterval(t);console.log('loss='+process.env.SEXTANT_PARAM_X)}},50)`;
    const file = join(scratch, 'parallel.json');
    await writeFile(
      file,
      JSON.stringify({
        name: 'parallel',
        parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
        metrics: ['loss'],
        budget: 4,
      }),
    );
    const r = await optimize([
      '--experiment',
      file,
      '--parallel',
      '4',
      '--timeout',
      '30',
      ...connect(),
      '--',
      process.execPath,
      '-e',
      script,
    ]).done;
    expect(r.code, r.stderr).toBe(0);
    const id = created(r.stderr);
    expect((await sx.experiment(id).get()).parallel_bandwidth).toBe(4);
    const all = await observations(sx, id);
    expect(all.map((o) => o.failed)).toEqual([false, false, false, false]);
    expect(await readdir(barrier)).toHaveLength(4);
  });

  it('SIGINT mid-run kills the evaluation and leaves no open suggestion; --resume continues the experiment', async () => {
    const pidFile = join(scratch, 'sleeper.pid');
    const sleeper = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setTimeout(() => {}, 120000)`;
    const run = optimize(['--experiment', fixture('quadratic.yml'), '--budget', '3', ...connect(), '--', process.execPath, '-e', sleeper]);
    await until(async () => (await readFile(pidFile, 'utf8').catch(() => '')) !== '', 'the evaluation to start');
    const evaluationPid = Number(await readFile(pidFile, 'utf8'));
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    const id = created(r.stderr);
    expect(r.stdout).toContain(`sextant optimize --resume ${id}`);
    expect(await sx.experiment(id).suggestions.page({ state: 'open' })).toMatchObject({ count: 0 });
    expect(await observations(sx, id)).toEqual([]);
    expect(() => process.kill(evaluationPid, 0)).toThrow(); // the evaluation's process is gone

    const resumed = await optimize(['--resume', id, ...connect(), '--', process.execPath, fixture('quadratic.mjs'), '--y', '{y}'], {
      QUADRATIC_PAIRS: '1',
    }).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`Resuming experiment ${id}`);
    const all = await observations(sx, id);
    expect(all).toHaveLength(3);
    expect(all.every((o) => !o.failed)).toBe(true);
  });
});
