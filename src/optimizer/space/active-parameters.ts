import type { Assignments, ExperimentSpec, ParameterSpec } from '../experiment-spec.ts';

/**
 * Whether a parameter receives a value for the given conditional values.
 *
 * A parameter is active when it is not deleted and, for every conditional it names in
 * `conditions`, the assignment holds one of the listed values of that conditional. A parameter
 * without conditions is always active (unless deleted). Values under other names in
 * `conditionalValues` are ignored, so a full assignment set can be passed as is.
 */
export function isParameterActive(
  param: ParameterSpec,
  conditionalValues: Readonly<Record<string, number | string>>,
): boolean {
  if (param.deleted) return false;
  for (const conditional of Object.keys(param.conditions)) {
    const allowed = param.conditions[conditional];
    const value = conditionalValues[conditional];
    // A missing or non-string conditional value satisfies nothing: SigOpt stores conditional
    // values as their names, so a number here can only come from a malformed assignment.
    if (allowed === undefined || typeof value !== 'string' || !allowed.includes(value)) {
      return false;
    }
  }
  return true;
}

/**
 * The parameters that must receive a value for `assignments`: non-deleted parameters whose
 * conditions are all satisfied by the conditional values in `assignments`, in spec order
 * (sorted by name).
 */
export function activeParameters(spec: ExperimentSpec, assignments: Assignments): ParameterSpec[] {
  return spec.parameters.filter((p) => isParameterActive(p, assignments));
}
