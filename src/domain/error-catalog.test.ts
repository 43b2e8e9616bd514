import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderErrorCatalogDocs } from './error-catalog-docs.ts';
import { type CatalogEntry, ERROR_CATALOG, type ErrorCode } from './error-catalog.ts';
import { apiError, ApiError } from './errors.ts';

const entries = Object.entries(ERROR_CATALOG) as [ErrorCode, CatalogEntry][];

describe('the error catalog', () => {
  it('gives every entry an upper-snake code, an error status and named placeholders only', () => {
    for (const [code, e] of entries) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect((e.status >= 400 && e.status < 600) || e.status === 301, code).toBe(true);
      // A placeholder is `{word}`; any other brace would be sent to clients verbatim.
      expect(e.message.replace(/\{\w+\}/g, ''), code).not.toMatch(/[{}]/);
    }
  });

  it("keeps SigOpt's texts for the errors SigOpt clients see (docs/api-compatibility.md#errors-and-status-codes)", () => {
    const sigopt: [ReturnType<typeof apiError>, number, string][] = [
      [apiError('NOT_FOUND'), 404, 'The requested resource could not be found'],
      [
        apiError('FORBIDDEN_WRITE'),
        403,
        "You don't have permission to do this action. You may need to contact your team's administrator to request permissions.",
      ],
      [apiError('MALFORMED_JSON', { message: 'Unexpected token' }), 400, 'Malformed json in request body: Unexpected token'],
      [apiError('MISSING_KEY', { key: 'name', json: '{}' }), 400, 'Missing required json key "name" in: {}'],
      [apiError('UNKNOWN_JSON_KEYS', { keys: '`foo`', json: '{"foo":1}' }), 400, 'Unknown json keys `foo` in: {"foo":1}'],
      [apiError('INVALID_TYPE', { key: 'name', json: '5', expected: 'string' }), 400, 'Invalid type for name: 5 - expected type string'],
      [apiError('DUPLICATE_PARAMETER_NAME', { name: 'x' }), 400, 'Duplicate parameter name: x'],
      [apiError('NO_PARAMETERS'), 400, 'Experiments must have at least one parameter.'],
      [apiError('INVALID_PAGING_MARKER', { marker: 'abc' }), 400, 'Invalid paging marker: abc'],
      [apiError('ENDPOINT_NOT_FOUND', { path: '/v1/nope' }), 404, 'Endpoint not found: /v1/nope'],
      [apiError('METHOD_NOT_ALLOWED', { allowed: 'GET, POST' }), 405, 'This endpoint accepts only the following methods: [GET, POST]'],
      [
        apiError('RATE_LIMITED'),
        429,
        'Your account has been temporarily disabled because of too many requests. Please wait a few minutes and try again more slowly.',
      ],
      [apiError('INTERNAL_ERROR'), 500, 'An unexpected server error has occurred.'],
      [apiError('API_TOKEN_EXPIRED'), 403, 'Your API token has expired.'],
    ];
    for (const [err, status, message] of sigopt) {
      expect({ status: err.status, message: err.message }).toEqual({ status, message });
    }
  });

  it('carries the code, the token status and call headers, and renders placeholders as template literals would', () => {
    const err = apiError('API_TOKEN_REVOKED', { help: 'See docs.' }, { headers: { 'retry-after': '1' } });
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('API_TOKEN_REVOKED');
    expect(err.toJSON()).toEqual({ message: 'This endpoint requires a valid API token. See docs.', status: 403, token_status: 'revoked' });
    expect(err.headers).toEqual({ 'retry-after': '1' });
    expect(apiError('MISSING_VALUE', { name: null }).message).toBe('Missing value for: null');
    const batch = apiError('UNKNOWN_PARAMETER', { name: 'z' }).withPrefix('Error in observation 2/3: ');
    expect([batch.code, batch.status, batch.message]).toEqual(['UNKNOWN_PARAMETER', 400, 'Error in observation 2/3: Unknown parameter: z']);
  });

  it('has no dead entries: every code is thrown somewhere in src/', () => {
    const src = execSync('git grep --untracked -h -o -E "\'[A-Z][A-Z0-9_]+\'" -- src ":!src/domain/error-catalog.ts" ":!*.test.ts"', {
      cwd: new URL('../..', import.meta.url),
      encoding: 'utf8',
    });
    const used = new Set(src.split('\n').map((s) => s.replace(/'/g, '')));
    expect(entries.map(([code]) => code).filter((code) => !used.has(code))).toEqual([]);
  });

  it('is what docs/errors.md shows (regenerate: npm run sextant -- config errors > docs/errors.md)', () => {
    expect(readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')).toBe(renderErrorCatalogDocs());
  });
});
