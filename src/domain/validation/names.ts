import { apiError } from '../errors.ts';

/** What a name belongs to; the word starts the "… names cannot be empty" messages. */
export type NameKind = 'Experiment' | 'Parameter' | 'Variable' | 'Metric' | 'Categorical';

/** Longest experiment, parameter, metric, conditional, term and task name (docs/api-compatibility.md#experiment-create-rules E2). */
export const NAME_MAX_LENGTH = 100;
/** Longest categorical / conditional value name (P13). */
export const CATEGORICAL_VALUE_MAX_LENGTH = 50;

/**
 * Validates and trims a user-entered name the way the original does: control characters are
 * refused first (they break terminals and CSV exports), the name is trimmed, and only then are
 * emptiness and length checked, so `"  "` is reported as empty rather than as too short.
 */
export function validateName(kind: NameKind, name: string): string {
  if (name === '') throw apiError('EMPTY_NAME');
  for (const ch of name) {
    if (ch.charCodeAt(0) < 32) throw apiError('INVALID_NAME', { name });
  }
  const trimmed = name.trim();
  const max = kind === 'Categorical' ? CATEGORICAL_VALUE_MAX_LENGTH : NAME_MAX_LENGTH;
  if (trimmed === '') throw apiError('EMPTY_NAMES', { kind });
  if ([...trimmed].length > max) throw apiError('NAME_TOO_LONG', { kind, max });
  return trimmed;
}
