import { describe, expect, it } from 'vitest';
import { deploymentSizing, MAX_DEFAULT_API_PROCESSES, MAX_DEFAULT_WORKER_CONCURRENCY } from './deployment-sizing.ts';

describe('deploymentSizing', () => {
  it('gives one API process and one engine thread on 1 and 2 cores', () => {
    expect(deploymentSizing(1)).toMatchObject({ apiProcesses: 1, workerConcurrency: 1 });
    expect(deploymentSizing(2)).toMatchObject({ apiProcesses: 1, workerConcurrency: 1 });
  });

  it('splits larger machines between API processes and engine threads', () => {
    expect(deploymentSizing(3)).toMatchObject({ apiProcesses: 1, workerConcurrency: 2 });
    expect(deploymentSizing(4)).toMatchObject({ apiProcesses: 2, workerConcurrency: 2 });
    expect(deploymentSizing(8)).toMatchObject({ apiProcesses: 4, workerConcurrency: 4 });
  });

  it('caps the defaults so PostgreSQL connections and memory stay bounded on very large machines', () => {
    const s = deploymentSizing(256);
    expect(s.apiProcesses).toBe(MAX_DEFAULT_API_PROCESSES);
    expect(s.workerConcurrency).toBe(MAX_DEFAULT_WORKER_CONCURRENCY);
  });

  it('never suggests fewer than one of anything', () => {
    expect(deploymentSizing(0)).toMatchObject({ cores: 1, apiProcesses: 1, workerConcurrency: 1 });
  });
});
