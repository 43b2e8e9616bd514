import type { Principal } from '../access/principal.ts';
import { apiError } from '../errors.ts';
import { bestAssignments } from '../experiments/best-assignments.ts';
import { parameterImportances } from '../experiments/parameter-importances.ts';
import { type StoppingReason, stoppingReasons } from '../experiments/stopping-criteria.ts';
import type { ExperimentRecord, ObservationRecord } from '../../store/ports/records.ts';
import type { DomainDeps } from './domain-deps.ts';
import { loadExperiment } from './load-experiment.ts';
import type { InExperiment } from './suggestion-service.ts';

export interface MetricImportances {
  readonly metric: string | null;
  readonly importances: Record<string, number | null>;
}

/** Read-only analyses of an experiment's observations, plus the model reset. */
export class InsightService {
  constructor(private readonly deps: DomainDeps) {}

  async bestAssignments(p: Principal, experimentId: string): Promise<InExperiment<ObservationRecord[]>> {
    const { experiment, live } = await this.load(p, experimentId);
    return { experiment, item: bestAssignments(experiment.spec, live) };
  }

  async stoppingCriteria(p: Principal, experimentId: string): Promise<StoppingReason[]> {
    const { experiment, live } = await this.load(p, experimentId);
    return stoppingReasons(experiment.spec, live);
  }

  async metricImportances(p: Principal, experimentId: string): Promise<MetricImportances[]> {
    const { experiment, live } = await this.load(p, experimentId);
    const out: MetricImportances[] = [];
    for (const metric of experiment.spec.metrics) {
      const importances = parameterImportances(experiment.spec, metric, live);
      if (!importances) throw apiError('IMPORTANCES_NEED_OBSERVATIONS');
      out.push({ metric: metric.name, importances });
    }
    return out;
  }

  /** PUT metric_importances: importances are computed on read, so this only checks access. */
  async requestImportances(p: Principal, experimentId: string): Promise<void> {
    await loadExperiment(this.deps.store, p, experimentId, 'write');
  }

  async resetHyperparameters(p: Principal, experimentId: string): Promise<void> {
    const experiment = await loadExperiment(this.deps.store, p, experimentId, 'write');
    await this.deps.candidates.reset(experiment.id);
  }

  async bestPractices(p: Principal, experimentId: string): Promise<string[]> {
    await loadExperiment(this.deps.store, p, experimentId, 'read');
    return [];
  }

  private async load(p: Principal, id: string): Promise<{ experiment: ExperimentRecord; live: ObservationRecord[] }> {
    const experiment = await loadExperiment(this.deps.store, p, id, 'read');
    return { experiment, live: await this.deps.store.observations.listLive(experiment.id) };
  }
}
