import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { validateExperimentCreate } from './experiment-create.ts';
import { validateQueuedSuggestionCreate, validateSuggestionCreate, validateSuggestionUpdate } from './suggestion.ts';
import { anyJson, messageOf, onlyBadRequest } from '../../../test/support/kits/validation-helpers.ts';

const make = (extra: Record<string, unknown> = {}) =>
  validateExperimentCreate({ name: 'e', parameters: [{ name: 'x', type: 'int', bounds: { min: 0, max: 9 } }], ...extra }, { maxOptimizedMetrics: 2 }).spec;
const plain = make();
const mt = make({ tasks: [{ name: 'cheap', cost: 0.5 }, { name: 'full', cost: 1 }], observation_budget: 5 });

describe('suggestions', () => {
  test('server-generated and explicit suggestions; unknown keys are not checked', () => {
    expect(validateSuggestionCreate({}, plain)).toEqual({ assignments: null, task: null, metadata: null });
    expect(validateSuggestionCreate({ assignments: { x: 3 }, metadata: { a: 'b' }, fields: 'id' }, plain)).toEqual({ assignments: { x: 3 }, task: null, metadata: { a: 'b' } });
    expect(validateSuggestionCreate({ assignments: { x: 3 }, task: 'cheap' }, mt)).toMatchObject({ task: 'cheap' });
  });
  test('T7, T8, A11', () => {
    expect(messageOf(() => validateSuggestionCreate({ task: 'cheap' }, plain))).toBe('`task` should only be present for multitask experiments');
    expect(messageOf(() => validateSuggestionCreate({ assignments: { x: 3 } }, mt))).toBe('For multitask experiments, manually created suggestions must have both `assignments` and `task`');
    expect(messageOf(() => validateSuggestionCreate({ task: 'cheap' }, mt))).toBe('For multitask experiments, manually created suggestions must have both `assignments` and `task`');
    expect(messageOf(() => validateSuggestionCreate({ assignments: null }, plain))).toBe('Cannot provide null or empty `assignments`');
  });
  test('update: metadata only', () => {
    expect(validateSuggestionUpdate({})).toEqual({});
    expect(validateSuggestionUpdate({ metadata: null })).toEqual({ metadata: null });
    expect(validateSuggestionUpdate({ metadata: { a: 1 } })).toEqual({ metadata: { a: 1 } });
    expect(messageOf(() => validateSuggestionUpdate({ metadata: 3 }))).toBe("Invalid type for .metadata: 3 - expected type ['object', 'null']");
  });
  test('queued suggestions', () => {
    expect(validateQueuedSuggestionCreate({ assignments: { x: 1 } }, plain)).toEqual({ assignments: { x: 1 }, task: null });
    expect(messageOf(() => validateQueuedSuggestionCreate({}, plain))).toBe('Missing required json key "assignments" in: {}');
    expect(messageOf(() => validateQueuedSuggestionCreate({ assignments: { x: 1 } }, mt))).toBe('Missing required json key "task" in: {"assignments":{"x":1}}');
    expect(messageOf(() => validateQueuedSuggestionCreate({ assignments: { x: 1 }, task: 'full' }, plain))).toBe('`task` should only be present for multitask experiments');
    expect(validateQueuedSuggestionCreate({ assignments: { x: 1 }, task: 'full' }, mt).task).toBe('full');
  });
  test('arbitrary bodies only ever yield a 400', () => {
    const body = fc.dictionary(fc.constantFrom('assignments', 'task', 'metadata'), anyJson);
    fc.assert(fc.property(body, (b) => {
      onlyBadRequest(() => validateSuggestionCreate(b, mt));
      onlyBadRequest(() => validateSuggestionCreate(b, plain));
      onlyBadRequest(() => validateQueuedSuggestionCreate(b, mt));
      onlyBadRequest(() => validateSuggestionUpdate(b));
    }), { numRuns: 400 });
  });
});
