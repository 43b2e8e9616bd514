import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/numerics/rng.ts';
import { RunControl } from '../../src/sim/run-control.ts';
import { RunRecorder } from '../../src/sim/run-recorder.ts';
import type { SimHttpClient, SimResponse } from '../../src/sim/sim-http-client.ts';
import { SimulatedClient } from '../../src/sim/simulated-client.ts';
import type { SyntheticExperiment } from '../../src/sim/synthetic-experiment.ts';

/** A simulated user whose server loses the first observation answer; `listed` is what the check finds. */
async function lostAnswer(listed: { suggestion: string }[]): Promise<{ requests: string[] }> {
  const requests: string[] = [];
  let observationPosts = 0;
  const http = {
    send: async (method: string, path: string): Promise<SimResponse> => {
      requests.push(`${method} ${path}`);
      if (method === 'POST' && path.endsWith('/suggestions')) return { status: 200, body: { id: 's1', assignments: { x: 0.5 } }, ms: 1 };
      if (method === 'POST')
        return ++observationPosts === 1 ? { status: 0, body: null, ms: 1 } : { status: 200, body: { id: 'o2' }, ms: 1 };
      return { status: 200, body: { data: listed, paging: { before: null } }, ms: 1 };
    },
  } as unknown as SimHttpClient;
  const recorder = new RunRecorder({ now: () => 0 });
  const control = new RunControl(1, Number.POSITIVE_INFINITY, () => 0);
  const plan = { bandwidth: 1, evaluate: () => [{ name: 'f', value: 1 }] } as unknown as SyntheticExperiment;
  const rng = createRng(1);
  const client = new SimulatedClient(
    http,
    recorder,
    control,
    [{ id: '7', plan }],
    { evalMs: 0, failureRate: 0, noise: 0, dashboardRate: 0 },
    rng,
  );
  await client.run();
  return { requests };
}

describe('simulated client: an observation whose answer was lost', () => {
  it('is found by the lost-answer check and not sent again', async () => {
    const { requests } = await lostAnswer([{ suggestion: 's1' }]);
    expect(requests).toEqual([
      'POST /v1/experiments/7/suggestions',
      'POST /v1/experiments/7/observations',
      'GET /v1/experiments/7/observations?limit=100',
    ]);
  });

  it('is sent again when the check finds nothing', async () => {
    const { requests } = await lostAnswer([{ suggestion: 'other' }]);
    expect(requests).toEqual([
      'POST /v1/experiments/7/suggestions',
      'POST /v1/experiments/7/observations',
      'GET /v1/experiments/7/observations?limit=100',
      'POST /v1/experiments/7/observations',
    ]);
  });
});
