import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SERVER_URL } from '../config/settings-registry.ts';

/** Where a CLI command finds the server and its credentials. */
export interface Connection {
  readonly url: string;
  readonly token: string;
}

/** The connection options every admin-API command takes. */
export interface ConnectionOptions {
  url?: string;
  token?: string;
  dataDir?: string;
}

/** A failure the CLI reports as one line on stderr with exit code 1 (no stack trace). */
export class CliError extends Error {}

/**
 * Credentials: --token, else SEXTANT_API_TOKEN, else the api-token file the first start wrote into
 * --data-dir. The CLI always goes through a running server (embedded PGlite is single-process, and
 * the same command then works against a distributed deployment).
 */
export async function resolveConnection(g: ConnectionOptions): Promise<Connection> {
  const url = (g.url ?? DEFAULT_SERVER_URL).replace(/\/+$/, '');
  let token = g.token ?? process.env.SEXTANT_API_TOKEN;
  if (!token && g.dataDir) {
    try {
      token = (await readFile(join(g.dataDir, 'api-token'), 'utf8')).trim();
    } catch {
      // Reported below with every place that was tried.
    }
  }
  if (!token) {
    throw new CliError(`no API token: pass --token, set SEXTANT_API_TOKEN, or point --data-dir at the server's data directory (looked for ${join(g.dataDir ?? '.', 'api-token')}).`);
  }
  return { url, token };
}

/** One JSON request to the server; non-2xx answers become a CliError with the server's message. */
export async function callApi(c: Connection, method: string, path: string, body?: unknown): Promise<Record<string, any>> {
  let res: Response;
  try {
    res = await fetch(`${c.url}${path}`, {
      method,
      headers: { authorization: `Basic ${Buffer.from(`${c.token}:`).toString('base64')}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(`cannot reach the server at ${c.url} (${cause?.code ?? cause?.message ?? String(err)}). Is \`sextant serve\` running? Use --url to point elsewhere.`);
  }
  const text = await res.text();
  let parsed: Record<string, any>;
  try {
    parsed = JSON.parse(text) as Record<string, any>;
  } catch {
    throw new CliError(`unexpected answer from ${c.url}${path} (HTTP ${res.status}): ${text.slice(0, 200)}`);
  }
  if (!res.ok) {
    if (res.status === 404 && /Endpoint not found/.test(String(parsed.message))) {
      throw new CliError(`the server at ${c.url} has no admin API (is it a Sextant server of this version?)`);
    }
    throw new CliError(`${String(parsed.message ?? `HTTP ${res.status}`)} (HTTP ${res.status})`);
  }
  return parsed;
}
