import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ExperimentCreate } from '../../client/index.ts';
import { CliError } from '../admin-api-client.ts';

/**
 * Reads the experiment file of `sextant optimize` (YAML, or JSON, which YAML also reads but whose
 * errors are clearer from JSON.parse) into an experiment create body. The file declares the SigOpt
 * experiment: name, parameters, metrics, conditionals, linear_constraints, and the budget, either
 * as `observation_budget` or as `budget` (the key of SigOpt's own experiment.yml; the v1 API
 * itself rejects `budget`, docs/api-compatibility.md#experiments).
 */
export async function readExperimentFile(path: string): Promise<ExperimentCreate> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read the experiment file ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new CliError(`${path} is not valid ${extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  return experimentBody(parsed, path);
}

/** Validates the shape the CLI relies on and maps `budget`; the server validates the rest. */
export function experimentBody(parsed: unknown, source: string): ExperimentCreate {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new CliError(`${source}: the experiment file must be a mapping (name, parameters, metrics, …)`);
  const { budget, ...rest } = parsed as Record<string, unknown>;
  if (!Array.isArray(rest.parameters) || rest.parameters.length === 0)
    throw new CliError(`${source}: \`parameters\` must list at least one parameter`);
  if (budget !== undefined && rest.observation_budget !== undefined)
    throw new CliError(`${source}: give either \`budget\` or \`observation_budget\`, not both`);
  return {
    name: 'sextant optimize',
    ...rest,
    ...(budget !== undefined ? { observation_budget: budget } : {}),
  } as ExperimentCreate;
}
