import type { Experiment, ExperimentCreate, Observation, ObservationCreate, ParameterCreate, SextantClient } from '../../client/index.ts';

/** The file `sextant experiments export --format json` writes and `import` reads. */
export interface ExperimentExport {
  readonly format: 'sextant-experiment-export';
  readonly version: 1;
  /** Unix seconds. */
  readonly exported_at: number;
  /** The experiment as the server rendered it. */
  readonly experiment: Experiment;
  /** Its (non-deleted) observations, oldest first, as rendered. */
  readonly observations: Observation[];
}

/** Observations per batch request of an import (the API takes up to 2500). */
const IMPORT_BATCH = 1000;

/** Reads an experiment and all its observations (oldest first, so an import keeps their order). */
export async function exportExperiment(client: SextantClient, id: string, now: () => number = Date.now): Promise<ExperimentExport> {
  const handle = client.experiment(id);
  const experiment = await handle.get();
  const observations: Observation[] = [];
  for await (const o of handle.observations.list({ ascending: true, limit: 1000 })) observations.push(o);
  return { format: 'sextant-experiment-export', version: 1, exported_at: Math.floor(now() / 1000), experiment, observations };
}

/**
 * Recreates an exported experiment with its history: the experiment from its definition, then the
 * observations by assignments in their original order (all-or-nothing batches, the model refreshed
 * once at the end). Suggestion ids, creation times and the project do not carry over: ids belong
 * to the source deployment and the project may not exist here.
 */
export async function importExperiment(client: SextantClient, data: unknown): Promise<{ experiment: Experiment; observations: number }> {
  const exported = parseExport(data);
  const experiment = await client.experiments.create(experimentCreateBody(exported.experiment));
  const handle = client.experiment(experiment.id);
  const bodies = exported.observations.map(observationBody);
  for (let i = 0; i < bodies.length; i += IMPORT_BATCH) {
    const last = i + IMPORT_BATCH >= bodies.length;
    await handle.observations.createBatch({ observations: bodies.slice(i, i + IMPORT_BATCH), no_optimize: !last });
  }
  return { experiment: await handle.get(), observations: bodies.length };
}

function parseExport(data: unknown): ExperimentExport {
  const d = data as Partial<ExperimentExport> | null;
  if (!d || d.format !== 'sextant-experiment-export' || typeof d.experiment !== 'object' || !Array.isArray(d.observations)) {
    throw new Error('not an experiment export (expected {"format": "sextant-experiment-export", "experiment": …, "observations": […]})');
  }
  if (d.version !== 1) throw new Error(`unsupported export version ${String(d.version)}`);
  return d as ExperimentExport;
}

/** A rendered experiment back into a create body (docs/api-compatibility.md#experiments request shapes). */
export function experimentCreateBody(e: Experiment): ExperimentCreate {
  const parameters: ParameterCreate[] = e.parameters.map((p) => ({
    name: p.name,
    type: p.type,
    ...(p.grid ? { grid: p.grid } : p.bounds ? { bounds: { min: p.bounds.min, max: p.bounds.max } } : {}),
    ...(p.categorical_values ? { categorical_values: p.categorical_values.map((v) => v.name) } : {}),
    ...(p.transformation === 'log' ? { transformation: 'log' as const } : {}),
    ...(p.prior
      ? {
          prior:
            p.prior.name === 'normal'
              ? { name: 'normal' as const, mean: p.prior.mean, scale: p.prior.scale }
              : { name: 'beta' as const, shape_a: p.prior.shape_a, shape_b: p.prior.shape_b },
        }
      : {}),
    ...(p.default_value !== null ? { default_value: p.default_value } : {}),
    ...(Object.keys(p.conditions).length > 0 ? { conditions: p.conditions } : {}),
    ...(p.precision !== null ? { precision: p.precision } : {}),
  }));
  const unnamed = e.metrics.length === 1 && e.metrics[0]!.name === null;
  return {
    name: e.name,
    type: e.type,
    parameters,
    ...(unnamed
      ? {}
      : {
          metrics: e.metrics.map((m) => ({
            name: m.name ?? '',
            objective: m.objective,
            strategy: m.strategy,
            ...(m.threshold !== null ? { threshold: m.threshold } : {}),
          })),
        }),
    ...(e.conditionals.length > 0 ? { conditionals: e.conditionals.map((c) => ({ name: c.name, values: c.values })) } : {}),
    ...(e.linear_constraints.length > 0
      ? {
          linear_constraints: e.linear_constraints.map((c) => ({
            type: c.type,
            threshold: c.threshold,
            terms: c.terms.map((t) => ({ name: t.name, weight: t.weight })),
          })),
        }
      : {}),
    ...(e.tasks ? { tasks: e.tasks.map((t) => ({ name: t.name, cost: t.cost })) } : {}),
    ...(e.observation_budget != null ? { observation_budget: e.observation_budget } : {}),
    ...(e.parallel_bandwidth !== null ? { parallel_bandwidth: e.parallel_bandwidth } : {}),
    ...(e.num_solutions !== null ? { num_solutions: e.num_solutions } : {}),
    ...(e.metadata !== null ? { metadata: e.metadata } : {}),
  };
}

/** A rendered observation as a create body by assignments (conditionally hidden parameters dropped). */
export function observationBody(o: Observation): ObservationCreate {
  const assignments = Object.fromEntries(Object.entries(o.assignments).filter(([, v]) => v !== null));
  return {
    assignments,
    ...(o.failed
      ? { failed: true }
      : {
          values: o.values.map((v) => ({
            name: v.name,
            value: v.value,
            ...(v.value_stddev !== null ? { value_stddev: v.value_stddev } : {}),
          })),
        }),
    ...(o.metadata !== null ? { metadata: o.metadata } : {}),
    ...(o.task ? { task: o.task.name } : {}),
  };
}

/**
 * The CSV form of an export: one row per observation with its id, suggestion, creation time,
 * failure, every parameter, every metric value (and standard deviation, when any was given) and
 * the metadata as JSON.
 */
export function exportCsv(x: ExperimentExport): string {
  const params = x.experiment.parameters.map((p) => p.name);
  const metrics = x.experiment.metrics.map((m) => m.name);
  const withStddev = metrics.filter((m) => x.observations.some((o) => o.values.some((v) => v.name === m && v.value_stddev !== null)));
  const header = [
    'observation',
    'suggestion',
    'created',
    'failed',
    ...(x.experiment.tasks ? ['task'] : []),
    ...params,
    ...metrics.map((m) => m ?? 'value'),
    ...withStddev.map((m) => `${m ?? 'value'}_stddev`),
    'metadata',
  ];
  const rows = x.observations.map((o) => {
    const value = (m: string | null) => o.values.find((v) => v.name === m);
    return [
      o.id,
      o.suggestion ?? '',
      String(o.created),
      String(o.failed),
      ...(x.experiment.tasks ? [o.task?.name ?? ''] : []),
      ...params.map((p) => (o.assignments[p] === null || o.assignments[p] === undefined ? '' : String(o.assignments[p]))),
      ...metrics.map((m) => (value(m) ? String(value(m)!.value) : '')),
      ...withStddev.map((m) => (value(m)?.value_stddev != null ? String(value(m)!.value_stddev) : '')),
      o.metadata ? JSON.stringify(o.metadata) : '',
    ];
  });
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
