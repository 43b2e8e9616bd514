import { describe, expect, test } from 'vitest';
import { httpBackends } from '../support/server.ts';
import { expectError, ok, raw, useServer } from '../support/conformance.ts';
import { ApiException, SigoptFactory } from '../support/sigopt-ai-client.ts';

/**
 * Issue 12: the official python client's AI-experiment flow, request by request (see
 * test/support/sigopt-ai-client.ts), on every backend. A run inside an AI experiment takes the
 * experiment's next suggestion and its completion records the observation, so the classic
 * routes show exactly what the classic loop would have stored.
 */
const franke = (x: number, y: number) =>
  0.75 * Math.exp(-((9 * x - 2) ** 2) / 4 - (9 * y - 2) ** 2 / 4) + 0.5 * Math.exp(-((9 * x - 7) ** 2) / 4 - (9 * y - 3) ** 2 / 4);

describe.each(httpBackends())('AI experiment flow on $name', ({ name, skip }) => {
  const ctx = useServer(name, skip);
  let n = 0;
  const unique = (stem: string) => `${stem}-${++n}`;

  test.skipIf(skip)(
    'create_project → create_experiment → loop with metrics, checkpoints, metadata → best runs → archive',
    async () => {
      const sigopt = new SigoptFactory(ctx.api, unique('ai-flow'));
      await sigopt.createProject();
      const experiment = await sigopt.createExperiment({
        name: 'Franke',
        parameters: [
          { name: 'x', type: 'double', bounds: { min: 0, max: 1 } },
          { name: 'y', type: 'double', bounds: { min: 0, max: 1 } },
        ],
        metrics: [{ name: 'f', objective: 'maximize' }],
        budget: 7,
      });
      expect(experiment.experiment).toMatchObject({
        object: 'aiexperiment',
        project: sigopt.project,
        budget: 7,
        runs_only: true,
        progress: { object: 'progress', active_run_count: 0, finished_run_count: 0, total_run_count: 0, remaining_budget: 7 },
      });
      expect(experiment.experiment).not.toHaveProperty('observation_budget');
      expect(experiment.experiment).not.toHaveProperty('development');

      const logged: { run: string; x: number; y: number; f: number }[] = [];
      for await (const run of experiment.loop()) {
        await run.with(async (r) => {
          const { x, y } = r.params as { x: number; y: number };
          await r.logCheckpoint({ f: franke(x, y) / 2 });
          await r.logMetadata('epochs', 3);
          if (logged.length === 0) await r.logImage(new Uint8Array([137, 80, 78, 71, 1, 2, 3]), 'first run');
          const f = franke(x, y);
          await r.logMetric('f', f);
          logged.push({ run: r.id, x, y, f });
        });
      }
      expect(logged).toHaveLength(7);
      await experiment.refresh();
      expect(experiment.experiment.progress).toEqual({
        object: 'progress',
        active_run_count: 0,
        finished_run_count: 7,
        total_run_count: 7,
        remaining_budget: 0,
      });

      // The classic routes see what a classic loop would have stored: one closed suggestion and one
      // observation per run, with the run's assignments and the logged value.
      const base = `/v1/experiments/${experiment.id}`;
      const observations = await ctx.api.iteratePages(`${base}/observations`);
      expect(observations).toHaveLength(7);
      const suggestions = await ctx.api.iteratePages(`${base}/suggestions`);
      expect(suggestions.every((s: any) => s.state === 'closed')).toBe(true);
      for (const l of logged) {
        const run = await sigopt.getRun(l.run);
        expect(run).toMatchObject({
          object: 'training_run',
          state: 'completed',
          finished: true,
          experiment: experiment.id,
          project: sigopt.project,
          checkpoint_count: 1,
        });
        expect(run.metadata).toEqual({ epochs: 3 });
        expect(run.values).toEqual({ f: { object: 'metric_evaluation', name: 'f', value: l.f, value_stddev: null } });
        const o = observations.find((x: any) => x.id === run.observation);
        expect(o).toMatchObject({ suggestion: run.suggestion, assignments: { x: l.x, y: l.y }, failed: false });
        expect(o.values).toEqual([{ object: 'metric_evaluation', name: 'f', value: l.f, value_stddev: null }]);
        const checkpoints = ok(await ctx.api.request('GET', `/v1/training_runs/${l.run}/checkpoints`));
        expect(checkpoints.data[0].values).toEqual([{ object: 'metric_evaluation', name: 'f', value: l.f / 2, value_stddev: null }]);
      }
      expect(new Set(logged.map((l) => `${l.x},${l.y}`)).size).toBe(7);
      expect((await sigopt.getRun(logged[0]!.run)).files).toHaveLength(1);

      // get_best_runs: the run whose observation is the best assignment.
      const best = await experiment.getBestRuns();
      const bestAssignment = ok(await ctx.api.request('GET', `${base}/best_assignments`)).data[0];
      expect(best.map((r: any) => r.observation)).toEqual([bestAssignment.id]);
      expect(Math.max(...logged.map((l) => l.f))).toBe(best[0].values.f.value);
      expect((await experiment.getRuns()).map((r: any) => r.id).sort()).toEqual(logged.map((l) => l.run).sort());

      // The classic detail of a runs-only experiment moves to its AI form (301 + Location).
      const moved = await raw(ctx.srv.url, 'GET', base, { token: ctx.srv.token, headers: { 'content-type': 'application/json' } });
      expect(moved.status).toBe(200);
      expect(moved.body.object).toBe('aiexperiment');
      const redirect = await fetch(`${ctx.srv.url}${base}`, {
        redirect: 'manual',
        headers: { authorization: `Basic ${Buffer.from(`${ctx.srv.token}:`).toString('base64')}` },
      });
      expect(redirect.status).toBe(301);
      expect(redirect.headers.get('location')).toBe(`/v1/aiexperiments/${experiment.id}`);
      expect(await redirect.json()).toEqual({ message: expect.any(String), status: 301, location: `/v1/aiexperiments/${experiment.id}` });

      // archive / unarchive (sigopt.archive_experiment, unarchive_experiment, archive_run, unarchive_run).
      await sigopt.archiveExperiment(experiment.id);
      expect((await sigopt.getExperiment(experiment.id)).experiment.state).toBe('deleted');
      await expect(experiment.createRun('late')).rejects.toMatchObject({ status: 400 });
      await sigopt.unarchiveExperiment(experiment.id);
      expect((await sigopt.getExperiment(experiment.id)).experiment.state).toBe('active');
      const first = logged[0]!.run;
      await sigopt.archiveRun(first);
      expect((await sigopt.getRun(first)).deleted).toBe(true);
      await sigopt.unarchiveRun(first);
      expect((await sigopt.getRun(first)).deleted).toBe(false);
    },
    120_000,
  );

  test.skipIf(skip)(
    'an exception inside `with run:` fails the run and records a failed observation',
    async () => {
      const sigopt = new SigoptFactory(ctx.api, unique('ai-fail'));
      const experiment = await sigopt.createExperiment({
        name: 'fails',
        parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
        metrics: ['acc'],
        budget: 3,
      });
      const run = await experiment.createRun('doomed');
      await expect(run.with(async () => Promise.reject(new Error('training crashed')))).rejects.toThrow('training crashed');
      const stored = await sigopt.getRun(run.id);
      expect(stored.state).toBe('failed');
      const o = ok(await ctx.api.request('GET', `/v1/experiments/${experiment.id}/observations/${stored.observation}`));
      expect(o).toMatchObject({ failed: true, values: [], suggestion: stored.suggestion });
      // A completed run without a value for every metric is a failed observation too (SigOpt's rule).
      const silent = await experiment.createRun('no metric');
      await silent.end();
      const o2 = ok(
        await ctx.api.request('GET', `/v1/experiments/${experiment.id}/observations/${(await sigopt.getRun(silent.id)).observation}`),
      );
      expect(o2.failed).toBe(true);
      await experiment.refresh();
      expect(experiment.experiment.progress).toMatchObject({ finished_run_count: 2, remaining_budget: 1 });
    },
    60_000,
  );

  test.skipIf(skip)(
    'bad input on run routes: unknown metric, MERGE on a finished run, oversize batch; nothing stored',
    async () => {
      const sigopt = new SigoptFactory(ctx.api, unique('ai-bad'));
      const experiment = await sigopt.createExperiment({
        name: 'bad',
        parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
        metrics: ['acc'],
        budget: 3,
      });
      const run = await experiment.createRun('r');
      const path = `/v1/training_runs/${run.id}`;
      expectError(
        await ctx.api.request('MERGE', path, { values: { nope: { value: 1 } } }),
        400,
        `Invalid metric name nope for experiment ${experiment.id}`,
      );
      expectError(
        await ctx.api.request('MERGE', path, { values: { acc: { value: 'high' } } }),
        400,
        /^Invalid type for \.values\.acc\.value: "high"/,
      );
      expectError(await ctx.api.request('MERGE', path, { color: 'red' }), 400, /^Unknown json keys `color` in: /);
      expectError(
        await ctx.api.request('MERGE', path, { state: 'done' }),
        400,
        'done is not one of the allowed values: active, completed, failed',
      );
      expectError(await ctx.api.request('MERGE', path, { name: null }), 400, 'Cannot remove name from a run');
      expect((await sigopt.getRun(run.id)).values).toEqual({});
      await run.logMetric('acc', 0.5);
      await run.end();
      expectError(
        await ctx.api.request('MERGE', path, { values: { acc: { value: 0.9 } } }),
        400,
        `Training run ${run.id} is completed and cannot be changed with MERGE`,
      );
      expect((await sigopt.getRun(run.id)).values.acc.value).toBe(0.5);
      expect(ok(await ctx.api.request('GET', `/v1/experiments/${experiment.id}/observations`)).count).toBe(1);
      // Malformed JSON on a MERGE is the strict-JSON 400 (docs/api-compatibility.md#request-parsing), with nan, inf and huge integers.
      for (const body of [
        '{',
        '{"values": {"acc": {"value": NaN}}}',
        '{"values": {"acc": {"value": Infinity}}}',
        `{"name": ${'9'.repeat(500_000)}}`,
      ]) {
        expectError(
          await raw(ctx.srv.url, 'MERGE', path, { token: ctx.srv.token, body, headers: { 'content-type': 'application/json' } }),
          400,
          /^Malformed json in request body/,
        );
      }
      const cid = ok(await ctx.api.request('GET', '/v1/tokens/self')).client;
      const batch = `/v1/clients/${cid}/projects/${sigopt.project}/training_runs/batch`;
      // The batch route takes large bodies: a 2,000,000-digit integer is still a fast 400.
      const huge = `{"runs": [{"name": "r", "values": {"acc": {"value": ${'9'.repeat(2_000_000)}}}}]}`;
      expectError(
        await raw(ctx.srv.url, 'POST', batch, { token: ctx.srv.token, body: huge, headers: { 'content-type': 'application/json' } }),
        400,
        /^Malformed json in request body/,
      );
      expectError(
        await ctx.api.request('POST', batch, { runs: Array.from({ length: 10_001 }, () => ({ name: 'r' })) }),
        400,
        'You cannot upload more than 10000 training runs at once. Please separate your runs into multiple API calls.',
      );
      expectError(
        await ctx.api.request('POST', batch, { runs: [{ name: 'ok' }, { name: 'bad', state: 'x' }] }),
        400,
        /^Error in training run 2\/2: /,
      );
      const runs = ok(await ctx.api.request('GET', `/v1/clients/${cid}/projects/${sigopt.project}/training_runs`));
      expect(runs.count).toBe(1);
      const created = ok(await ctx.api.request('POST', batch, { runs: [{ name: 'a' }, { name: 'b', state: 'completed' }], fields: 'id' }));
      expect(created.count).toBe(2);
      expect(created.data.every((r: any) => Object.keys(r).join() === 'id')).toBe(true);
      await expect(sigopt.createProject()).rejects.toBeInstanceOf(ApiException);
    },
    60_000,
  );

  test.skipIf(skip)(
    'log_image: declare, upload through the link; bad or reused links, wrong bytes and oversize files are refused',
    async () => {
      const sigopt = new SigoptFactory(ctx.api, unique('ai-files'));
      const experiment = await sigopt.createExperiment({
        name: 'files',
        parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
        metrics: ['acc'],
        budget: 2,
      });
      const run = await experiment.createRun('with image');
      const png = new Uint8Array(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
      const file = await run.logImage(png, 'loss curve');
      expect(file).toMatchObject({
        object: 'file',
        training_run: run.id,
        name: 'loss curve',
        filename: 'image.png',
        content_type: 'image/png',
        content_length: 3000,
      });
      expect(file.upload).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'image/png', 'Content-MD5': file.content_md5 } });
      expect(new URL(file.upload.url).host).toBe(new URL(ctx.srv.url).host);
      expect((await sigopt.getRun(run.id)).files).toEqual([file.id]);
      // The link works once.
      const again = await fetch(file.upload.url, { method: 'PUT', headers: file.upload.headers, body: png });
      expect(again.status).toBe(403);
      // A bad signature, wrong bytes, a missing token: refused, and the file stays waiting for its bytes.
      const second = await run.conn.request('POST', `/v1/training_runs/${run.id}/files`, {
        content_length: 3,
        content_md5: 'kAFQmDzST7DWlj99KOF/cg==',
        content_type: 'text/plain',
        name: 'abc',
      });
      expect(second.status).toBe(200);
      const url = new URL(second.body.upload.url);
      const put = (target: string, body: string) => fetch(target, { method: 'PUT', headers: second.body.upload.headers, body });
      const forged = `${url.origin}${url.pathname}?token=${'A'.repeat(43)}`;
      expectError(await asResponse(await put(forged, 'abc')), 403, 'The upload link is invalid, expired or already used.');
      expectError(
        await asResponse(await put(`${url.origin}${url.pathname}`, 'abc')),
        403,
        'The upload link is invalid, expired or already used.',
      );
      expectError(
        await asResponse(await put(url.toString(), 'abcd')),
        400,
        'The upload has 4 bytes, the file was declared with content_length 3',
      );
      expectError(await asResponse(await put(url.toString(), 'abd')), 400, 'The upload does not match content_md5');
      expect((await put(url.toString(), 'abc')).status).toBe(200);
      // Declared sizes over the limit and bad declarations are 400s; nothing is created for them.
      const path = `/v1/training_runs/${run.id}/files`;
      expectError(
        await ctx.api.request('POST', path, {
          content_length: 17 * 1024 * 1024,
          content_md5: 'kAFQmDzST7DWlj99KOF/cg==',
          content_type: 'image/png',
          name: 'big',
        }),
        400,
        /^Files may be at most 16777216 bytes/,
      );
      expectError(
        await ctx.api.request('POST', path, { content_length: 3, content_md5: 'nope', content_type: 'image/png', name: 'x' }),
        400,
        /^Invalid type for content_md5: "nope"/,
      );
      expectError(
        await ctx.api.request('POST', path, { content_length: 3, content_md5: 'kAFQmDzST7DWlj99KOF/cg==', content_type: 'image/png' }),
        400,
        "At least one of ('name', 'filename') is required.",
      );
      expect((await sigopt.getRun(run.id)).files).toHaveLength(2);
    },
    60_000,
  );

  test.skipIf(skip)(
    'the CLI loop (sigopt optimize): source code and logs per run; runs past the initial design get model-phase suggestions',
    async () => {
      const sourceCounts = async (): Promise<Record<string, number>> => {
        const text = await (await fetch(`${ctx.srv.url}/metrics`)).text();
        const out: Record<string, number> = {};
        for (const m of text.matchAll(/^sextant_suggestions_total\{source="(\w+)"\} (\d+)/gm)) out[m[1]!] = Number(m[2]);
        return out;
      };
      const before = await sourceCounts();
      const sigopt = new SigoptFactory(ctx.api, unique('cli'));
      const experiment = await sigopt.createExperiment({
        name: 'cli',
        parameters: [
          { name: 'lr', type: 'double', bounds: { min: 0.001, max: 1 }, transformation: 'log' },
          { name: 'depth', type: 'int', bounds: { min: 1, max: 8 } },
        ],
        metrics: [{ name: 'loss', objective: 'minimize' }],
        budget: 7,
      });
      let i = 0;
      for await (const run of experiment.loop('cli run')) {
        await run.with(async (r) => {
          await r.logSourceCode({ hash: 'abc123' });
          const { lr, depth } = r.params as { lr: number; depth: number };
          await r.logMetric('loss', (Math.log10(lr) + 2) ** 2 + (depth - 4) ** 2);
          await r.setLogs({ stdout: `epoch ${i++}\n`, stderr: '' });
        });
      }
      const runs = await experiment.getRuns();
      expect(runs).toHaveLength(7);
      for (const run of runs) {
        expect(run).toMatchObject({
          state: 'completed',
          source_code: { hash: 'abc123' },
          logs: { stdout: { object: 'log' }, stderr: { content: '' } },
        });
        expect(Number.isInteger(run.assignments.depth)).toBe(true);
      }
      // 2 parameters: 4 initial-design points, then every run goes through the model phase (a model
      // point, fresh or stale, or the random fallback when the model is late) — never more initial points.
      const after = await sourceCounts();
      const delta = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
      expect(delta('initial')).toBe(4);
      expect(delta('fresh') + delta('stale') + delta('fallback')).toBe(3);
    },
    120_000,
  );
});

async function asResponse(res: Response): Promise<{ status: number; body: any; headers: Headers }> {
  return { status: res.status, body: await res.json(), headers: res.headers };
}
