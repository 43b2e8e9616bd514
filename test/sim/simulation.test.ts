import { type AddressInfo, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSimulation } from '../../src/sim/simulation.ts';
import { resolveSimulationSettings } from '../../src/sim/simulation-options.ts';
import { SigoptClient } from '../support/sigopt-client.ts';
import { type TestServer, startTestServer } from '../support/server.ts';

describe('sextant simulate against an embedded server', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer('pglite', { settings: { 'suggestion.wait_ms': 200 } });
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('a cycle-bounded run stops at exactly N cycles and its counts match what the server stored', async () => {
    const settings = resolveSimulationSettings({
      experiments: 6,
      clients: 3,
      cycles: 40,
      durationSeconds: 60,
      seed: 7,
      failureRate: 0.1,
      noise: 0.05,
      dashboardRate: 0.3,
      parallelShare: 0.5,
      multiMetricShare: 0.5,
    });
    const report = await runSimulation(settings, { url: srv.url, token: srv.token });

    expect(report.summary.stoppedBy).toBe('cycles');
    expect(report.summary.cycles).toBe(40);
    expect(report.setup.experimentsCreated).toBe(6);
    expect(report.summary.errors).toBe(0);
    // What the simulator saw acknowledged is what the server stored, read back through the API…
    expect(report.verification.observationsAcknowledged).toBe(40);
    expect(report.verification.observationsStored).toBe(40);
    expect(report.verification.match).toBe(true);
    // …and directly through the official client's request shapes, experiment by experiment.
    const client = new SigoptClient(srv.url, srv.token);
    const mine = (await client.iteratePages('/v1/experiments', { search: report.startedAt.slice(0, 19) })) as { id: string }[];
    expect(mine).toHaveLength(6);
    let observations = 0;
    let failed = 0;
    for (const e of mine) {
      const obs = await client.iteratePages(`/v1/experiments/${e.id}/observations`);
      observations += obs.length;
      failed += obs.filter((o: { failed: boolean }) => o.failed).length;
    }
    expect(observations).toBe(40);
    expect(report.endpoints['observation.create']?.requests).toBe(40);
    expect(failed).toBeGreaterThan(0);
    // The source mix covers every suggestion the run created.
    expect(report.sourceMix.origin).toBe('metrics');
    const created = Object.values(report.sourceMix.counts).reduce((a, b) => a + b, 0);
    expect(created).toBe(report.verification.suggestionsAcknowledged);
    expect(report.endpoints['suggestion.create']?.latency.count).toBe(report.verification.suggestionsAcknowledged);
    expect(report.endpoints.cycle?.latency.count).toBe(40);
    expect(report.server?.serverErrors).toBe(0);
    expect(report.timeline.reduce((a, w) => a + w.cycles, 0)).toBe(40);
  });

  it('a duration-bounded run stops by itself at the deadline, finishing the observations it opened', async () => {
    const settings = resolveSimulationSettings({ experiments: 3, clients: 4, durationSeconds: 2, seed: 3, evalMs: 40, parallelShare: 1 });
    expect(settings.maxCycles).toBeGreaterThan(1000);
    const report = await runSimulation(settings, { url: srv.url, token: srv.token });
    expect(report.summary.stoppedBy).toBe('duration');
    expect(report.summary.measuredSeconds).toBeGreaterThanOrEqual(2);
    expect(report.summary.cycles).toBeGreaterThan(0);
    expect(report.verification.match).toBe(true);
    expect(report.summary.errors).toBe(0);
  });

  it('a rejected token or an unreachable server fails setup with a clear error instead of looping', async () => {
    const settings = resolveSimulationSettings({ experiments: 1, clients: 1, cycles: 1, requestTimeoutMs: 2000 });
    await expect(runSimulation(settings, { url: srv.url, token: 'wrong-token' })).rejects.toThrow(/could not create any experiment.*: 403/);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(runSimulation(settings, { url: `http://127.0.0.1:${port}`, token: 't' })).rejects.toThrow(
      /could not create any experiment/,
    );
  });
});
