import { apiError } from '../../domain/errors.ts';

/** Appended to authentication errors, as the original did (docs/api-compatibility.md#authentication). */
export const AUTH_HELP =
  'You can find your API Token at {app_url}/tokens/info. API requests are authenticated using HTTP Basic Auth, with the API token as the username and a blank password. Please see {app_url}/docs/overview/authentication for more details.';

export function authHelp(appUrl: string): string {
  return AUTH_HELP.replaceAll('{app_url}', appUrl);
}

/**
 * Extracts the API token from an `Authorization: Basic base64(token:)` header (docs/api-compatibility.md#authentication).
 * Returns null when the header is absent; throws 400 when present but unparseable.
 */
export function parseBasicAuth(header: string | undefined, appUrl: string): string | null {
  if (header === undefined || header.trim() === '') return null;
  const m = /^\s*basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!m) throw apiError('UNPARSABLE_API_TOKEN', { help: authHelp(appUrl) });
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const token = colon >= 0 ? decoded.slice(0, colon) : decoded;
  if (token.includes('\0')) throw apiError('INVALID_STRING_PARAMETER', { value: JSON.stringify(token) });
  if (token === '') throw apiError('UNPARSABLE_API_TOKEN', { help: authHelp(appUrl) });
  return token;
}
