import { describe, expect, it } from 'vitest';
import { exhaustedResource, resourceExhaustedError } from './resource-exhaustion.ts';
import { isDatabaseUnavailable } from './database-unavailable.ts';

describe('database resource exhaustion', () => {
  it('recognises PostgreSQL class 53 and a full PGlite disk, through cause chains', () => {
    expect(exhaustedResource(Object.assign(new Error('could not extend file'), { code: '53100' }))).toBe('disk_full');
    expect(exhaustedResource(Object.assign(new Error('out of memory'), { code: '53200' }))).toBe('out_of_memory');
    expect(exhaustedResource(Object.assign(new Error('sorry, too many clients already'), { code: '53300' }))).toBe('too_many_connections');
    expect(exhaustedResource(Object.assign(new Error('FS error'), { name: 'ErrnoError', errno: 28 }))).toBe('disk_full');
    expect(exhaustedResource(new Error('write failed', { cause: new Error('No space left on device') }))).toBe('disk_full');
    expect(exhaustedResource(new AggregateError([new Error('x'), Object.assign(new Error('y'), { code: 'ENOSPC' })]))).toBe('disk_full');
    expect(exhaustedResource(Object.assign(new Error('syntax error'), { code: '42601' }))).toBeNull();
    expect(exhaustedResource('No space left on device')).toBeNull();
  });

  it('answers 507 for a full disk and 503 otherwise, each with Retry-After and its own code', () => {
    const disk = resourceExhaustedError('disk_full');
    expect([disk.status, disk.code, disk.headers['retry-after']]).toEqual([507, 'DISK_FULL', '30']);
    expect(disk.message).toMatch(/disk is full/);
    const memory = resourceExhaustedError('out_of_memory');
    expect([memory.status, memory.code]).toEqual([503, 'DATABASE_OUT_OF_MEMORY']);
    const connections = resourceExhaustedError('too_many_connections');
    expect([connections.status, connections.code, connections.headers['retry-after']]).toEqual([503, 'DATABASE_TOO_MANY_CONNECTIONS', '1']);
  });

  it('is not mistaken for an outage (53300 moved here from the outage signatures)', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('too many clients'), { code: '53300' }))).toBe(false);
  });
});
