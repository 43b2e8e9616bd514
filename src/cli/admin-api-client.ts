import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SERVER_URL } from '../config/settings-registry.ts';
import { AdminResource } from '../client/admin-resource.ts';
import type { ClientCaller } from '../client/client-caller.ts';
import { SextantApiError, SextantClient, SextantError } from '../client/index.ts';

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
    throw new CliError(
      `no API token: pass --token, set SEXTANT_API_TOKEN, or point --data-dir at the server's data directory (looked for ${join(g.dataDir ?? '.', 'api-token')}).`,
    );
  }
  return { url, token };
}

/**
 * The operator API through the typed client (src/client/), with failures turned into one-line
 * CliErrors. Each command sends once and never retries: a repeated create would make a second
 * organization or token, and the operator sees the error and decides.
 */
export function adminApi(c: Connection): AdminResource {
  const client = new SextantClient({ url: c.url, token: c.token, retry: { maxAttempts: 1 } });
  const caller: ClientCaller = {
    call: (route, params, request, opts, check) =>
      client.call(route, params, request, opts, check).catch((err: unknown) => Promise.reject(toCliError(err, c))),
  };
  return new AdminResource(caller);
}

function toCliError(err: unknown, c: Connection): unknown {
  if (err instanceof SextantApiError) {
    if (err.status === 404 && /Endpoint not found/.test(err.message))
      return new CliError(`the server at ${c.url} has no admin API (is it a Sextant server of this version?)`);
    return new CliError(`${err.message} (HTTP ${err.status})`);
  }
  if (err instanceof SextantError) {
    const cause = (err.cause as { cause?: { code?: string; message?: string } } | undefined)?.cause;
    return new CliError(
      `cannot reach the server at ${c.url} (${cause?.code ?? cause?.message ?? err.message}). Is \`sextant serve\` running? Use --url to point elsewhere.`,
    );
  }
  return err;
}
