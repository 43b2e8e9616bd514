import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SextantClient, type Observation } from '../../src/client/index.ts';
import { exportCsv, exportExperiment, importExperiment } from '../../src/cli/experiments/experiment-transfer.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** What must survive a round trip: everything but ids and times. */
const essence = (o: Observation) => ({
  assignments: o.assignments,
  values: o.values.map(({ name, value, value_stddev }) => ({ name, value, value_stddev })),
  failed: o.failed,
  metadata: o.metadata,
});

describe('experiment export and import', () => {
  let srv: TestServer;
  let sx: SextantClient;
  let sourceId: string;

  beforeAll(async () => {
    srv = await startTestServer('pglite', { settings: { 'suggestion.wait_ms': 500 } });
    sx = new SextantClient({ url: srv.url, token: srv.token });
    const exp = await sx.experiments.create({
      name: 'transfer, with "quotes"',
      parameters: [
        { name: 'x', type: 'double', bounds: { min: 0, max: 1 } },
        { name: 'n', type: 'int', bounds: { min: 1, max: 9 } },
        { name: 'kind', type: 'categorical', categorical_values: ['a', 'b', 'c'] },
      ],
      metrics: [
        { name: 'score', objective: 'maximize' },
        { name: 'cost', objective: 'minimize', strategy: 'store' },
      ],
      observation_budget: 10,
      metadata: { team: 'vision' },
    });
    sourceId = exp.id;
    let i = 0;
    for await (const s of sx.experiment(exp.id).loop({ budget: 7 })) {
      i++;
      if (i === 3) await s.fail('diverged');
      else
        await s.report(
          [
            { name: 'score', value: Number(s.assignments.x) * i, value_stddev: 0.1 },
            { name: 'cost', value: i },
          ],
          { run: `r${i}` },
        );
    }
  }, 60_000);
  afterAll(async () => {
    await srv?.close();
  });

  it('import of an export gives the same observations and the same best assignments', async () => {
    const exported = await exportExperiment(sx, sourceId);
    expect(exported.observations).toHaveLength(7);
    const { experiment, observations } = await importExperiment(sx, JSON.parse(JSON.stringify(exported)));
    expect(observations).toBe(7);
    expect(experiment.id).not.toBe(sourceId);
    expect(experiment.name).toBe(exported.experiment.name);
    expect(experiment.parameters).toEqual(exported.experiment.parameters);
    expect(experiment.metrics).toEqual(exported.experiment.metrics);
    expect(experiment.observation_budget).toBe(10);
    expect(experiment.metadata).toEqual({ team: 'vision' });

    const copy = await exportExperiment(sx, experiment.id);
    expect(copy.observations.map(essence)).toEqual(exported.observations.map(essence));
    const best = async (id: string) =>
      (await sx.experiment(id).bestAssignments()).map((b) => ({ assignments: b.assignments, values: b.values }));
    expect(await best(experiment.id)).toEqual(await best(sourceId));
  });

  it('CSV: one row per observation with parameters, metric values, stddevs and metadata', async () => {
    const csv = exportCsv(await exportExperiment(sx, sourceId));
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('observation,suggestion,created,failed,kind,n,x,cost,score,score_stddev,metadata');
    expect(lines).toHaveLength(8);
    const failed = lines.find((l) => l.split(',')[3] === 'true')!;
    expect(failed).toContain('"{""failure_reason"":""diverged""}"');
    expect(lines[1]).toMatch(/,0\.1,"\{""run"":""r1""\}"$/);
  });

  it('the CLI round trip: sextant experiments export --output, then import', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sextant-transfer-'));
    try {
      const file = join(dir, 'exp.json');
      const cli = (args: string[]) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
          execFile(
            process.execPath,
            ['--import', 'tsx', 'src/cli/main.ts', 'experiments', '--url', srv.url, '--token', srv.token, ...args],
            { cwd: root },
            (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
          ),
        );
      const exported = await cli(['export', sourceId, '--output', file]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(JSON.parse(await readFile(file, 'utf8')).observations).toHaveLength(7);
      const imported = await cli(['import', file]);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toMatch(/^imported experiment \d+ "transfer, with \\?"quotes\\?"" with 7 observations/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
