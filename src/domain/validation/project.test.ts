import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { validateProjectCreate, validateProjectUpdate } from './project.ts';
import { anyJson, messageOf, onlyBadRequest } from '../../../test/support/kits/validation-helpers.ts';

describe('projects', () => {
  test('create', () => {
    expect(validateProjectCreate({ id: 'my-proj_1.0', name: 'My project', metadata: { a: null } })).toEqual({ id: 'my-proj_1.0', name: 'My project', metadata: {} });
    expect(messageOf(() => validateProjectCreate({ name: 'n' }))).toBe('Missing required json key "id" in: {"name":"n"}');
    expect(messageOf(() => validateProjectCreate({ id: 'Bad Id', name: 'n' }))).toBe('Bad Id does not match the regular expression /^[a-z0-9\\-_\\.]+$/');
    expect(messageOf(() => validateProjectCreate({ id: 'a'.repeat(33), name: 'n' }))).toBe('The length of .id must be less than or equal to 32');
    expect(messageOf(() => validateProjectCreate({ id: 'p', name: '' }))).toBe('The length of .name must be greater than or equal to 1');
    expect(messageOf(() => validateProjectCreate({ id: 'p', name: 'n', x: 1 }))).toBe('Unknown json keys `x` in: {"id":"p","name":"n","x":1}');
  });
  test('update', () => {
    expect(validateProjectUpdate({ name: 'x', deleted: true, metadata: null })).toEqual({ name: 'x', deleted: true, metadata: null });
    expect(validateProjectUpdate({})).toEqual({});
    expect(messageOf(() => validateProjectUpdate({ deleted: 'yes' }))).toBe("Invalid type for .deleted: \"yes\" - expected type ['boolean', 'null']");
    expect(messageOf(() => validateProjectUpdate({ name: 'n'.repeat(101) }))).toBe('The length of .name must be less than or equal to 100');
  });
  test('arbitrary bodies only ever yield a 400', () => {
    const body = fc.dictionary(fc.constantFrom('id', 'name', 'metadata', 'deleted'), anyJson);
    fc.assert(fc.property(body, (b) => {
      onlyBadRequest(() => validateProjectCreate(b));
      onlyBadRequest(() => validateProjectUpdate(b));
    }), { numRuns: 400 });
  });
});
