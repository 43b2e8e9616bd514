import { describe, expect, it } from 'vitest';
import { deploymentSizing, MAX_DEFAULT_API_PROCESSES, MAX_DEFAULT_WORKER_CONCURRENCY } from './deployment-sizing.ts';

describe('deploymentSizing', () => {
  it('gives one API process and an engine thread per core on 1 and 2 cores (the sizing table)', () => {
    expect(deploymentSizing(1)).toMatchObject({ apiProcesses: 1, workerConcurrency: 1 });
    expect(deploymentSizing(2)).toMatchObject({ apiProcesses: 1, workerConcurrency: 2 });
  });

  it('gives half the cores to API processes and an engine thread to every core', () => {
    expect(deploymentSizing(3)).toMatchObject({ apiProcesses: 1, workerConcurrency: 3 });
    expect(deploymentSizing(4)).toMatchObject({ apiProcesses: 2, workerConcurrency: 4 });
    expect(deploymentSizing(8)).toMatchObject({ apiProcesses: 4, workerConcurrency: 8 });
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
