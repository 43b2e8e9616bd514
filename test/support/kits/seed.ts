import type { ExperimentRecord } from '../../../src/store/ports/records.ts';
import type { ExperimentSpec } from '../../../src/optimizer/experiment-spec.ts';
import type { NewExperiment, Store } from '../../../src/store/store.ts';

/** A small valid spec: one double parameter, one unnamed maximized metric. For store tests. */
export const sampleSpec: ExperimentSpec = {
  type: 'offline',
  parameters: [
    {
      name: 'x',
      type: 'double',
      bounds: { min: 0, max: 1 },
      categoricalValues: null,
      grid: null,
      prior: null,
      transformation: null,
      defaultValue: null,
      conditions: {},
      precision: null,
      deleted: false,
    },
  ],
  metrics: [{ name: null, objective: 'maximize', strategy: 'optimize', threshold: null }],
  conditionals: [],
  linearConstraints: [],
  tasks: null,
  observationBudget: null,
  parallelBandwidth: null,
  numSolutions: null,
};

/** An organization, client and owner user: the tenancy every store test needs. */
export async function seedTenant(store: Store, name = 'acme'): Promise<{ organizationId: string; clientId: string; userId: string }> {
  const org = await store.organizations.create({ name, created: 100 });
  const client = await store.clients.create({ organizationId: org.id, name: `${name} team`, created: 100 });
  const user = await store.users.create({ name: `${name} owner`, email: `${name}@example.com`, created: 100 });
  await store.memberships.put({ clientId: client.id, userId: user.id, role: 'owner' });
  return { organizationId: org.id, clientId: client.id, userId: user.id };
}

/** Creates an experiment with defaults overridable per field. */
export function seedExperiment(store: Store, clientId: string, over: Partial<NewExperiment> = {}): Promise<ExperimentRecord> {
  return store.experiments.create({
    clientId,
    userId: null,
    projectId: null,
    name: 'exp',
    state: 'active',
    development: false,
    runsOnly: false,
    created: 1000,
    updated: 1000,
    metadata: null,
    spec: sampleSpec,
    ...over,
  });
}
