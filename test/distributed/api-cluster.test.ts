import { type ChildProcess, spawn } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl, testStores } from '../support/databases.ts';
import { SigoptClient } from '../support/sigopt-client.ts';
import { repoRoot, stopGracefully } from './fleet.ts';
import { deletePrefix, redisUnavailable, testRedis, testRedisUrl, uniquePrefix } from './redis-support.ts';

const skip = redisUnavailable() || testStores().find((b) => b.name === 'postgres')?.skip || false;

/** GET without keep-alive: each call opens its own connection (fetch would reuse one). */
function getOnNewConnection(target: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpGet(target, { agent: false, headers: { authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

function waitFor(check: () => boolean, ms: number, what: string, output: () => string): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() - started > ms) reject(new Error(`${what} not seen within ${ms} ms:\n${output()}`));
      else setTimeout(tick, 50);
    };
    tick();
  });
}

/** `sextant serve --processes 2`: node:cluster API processes, crash replacement, SIGHUP rolling restart. */
describe.skipIf(skip)('sextant serve --processes N', () => {
  const prefix = uniquePrefix('cluster');
  const TOKEN = 'cluster-test-token-0123456789';
  let primary: ChildProcess | null = null;
  let drop = async () => {};
  afterAll(async () => {
    await stopGracefully(primary);
    const admin = testRedis();
    await deletePrefix(admin, prefix);
    await admin.quit();
    await drop();
  }, 60_000);

  it('serves from several processes, replaces a killed one, and rolls on SIGHUP without failing requests', async () => {
    const db = await createTestDatabaseUrl();
    drop = db.drop;
    let out = '';
    primary = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'serve',
        '--processes',
        '2',
        '--port',
        '0',
        '--database-url',
        db.databaseUrl,
        '--redis-url',
        testRedisUrl,
        '--redis-prefix',
        prefix,
        '--log-level',
        'silent',
      ],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          SEXTANT_API_TOKEN: TOKEN,
          SEXTANT_RATE_LIMIT_WRITES_PER_SECOND: '0',
          SEXTANT_RATE_LIMIT_READS_PER_SECOND: '0',
        },
      },
    );
    primary.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    primary.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(
      () => out.includes('2 API processes listening'),
      90_000,
      'cluster start',
      () => out,
    );
    const url = /Sextant is listening on (http:\/\/\S+)/.exec(out)?.[1];
    expect(url).toBeDefined();
    const firstPid = Number(/first (\d+)\)/.exec(out)?.[1]);
    const api = new SigoptClient(url as string, TOKEN);

    const created = await api.request('POST', '/v1/experiments', {
      name: 'cluster',
      parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
      metrics: [{ name: 'f' }],
    });
    expect(created.status).toBe(200);

    // kill -9 one API process: the primary replaces it, the service keeps answering.
    process.kill(firstPid, 'SIGKILL');
    await waitFor(
      () => /died \(SIGKILL\); replacing it/.test(out),
      30_000,
      'replacement',
      () => out,
    );
    for (let i = 0; i < 10; i++) {
      const r = await api.request('GET', `/v1/experiments/${created.body.id}`);
      expect(r.status).toBe(200);
    }


    // Rolling restart while a client keeps sending requests: none fails.
    let failures = 0;
    let resets = 0;
    const reasons: string[] = [];
    let done = 0;
    let rolling = true;
    const load = (async () => {
      while (rolling) {
        // A request written onto a keep-alive socket at the instant its process closes it sees a
        // reset (the HTTP/1.1 keep-alive race, not a failed request: the server never read it).
        // HTTP clients retry such idempotent requests; this one tries three times (undici may hand the
        // retry another pooled socket of the same closing process). Any error *status*
        // (e.g. a 503 from a closing process) counts as a failure.
        for (let attempt = 0; attempt < 3; attempt++) {
          try {
            const r = await api.request('GET', `/v1/experiments/${created.body.id}`);
            if (r.status !== 200) {
              failures++;
              reasons.push(`${r.status} ${JSON.stringify(r.body)}`);
            }
            break;
          } catch (err) {
            resets++;
            if (attempt === 2) {
              failures++;
              reasons.push(String((err as Error).cause ?? err));
            }
          }
        }
        done++;
      }
    })();
    const before = out.length;
    primary.kill('SIGHUP');
    await waitFor(
      () => out.slice(before).includes('rolling restart done'),
      120_000,
      'rolling restart',
      () => out,
    );
    rolling = false;
    await load;
    expect(done).toBeGreaterThan(0);
    // Resets are rare (a few per rolling restart at most); most requests never see one.
    expect(resets).toBeLessThan(Math.max(5, done / 10));
    expect(failures, reasons.join('\n')).toBe(0);

    // /metrics answers for the whole cluster from whichever process a scrape reaches. After the
    // rolling restart both processes are new; fetches on new connections are spread over both,
    // and every scrape counts all of them.
    const fetchedCount = async () => {
      const text = (await getOnNewConnection(`${url}/metrics`, TOKEN)).body;
      const line = text
        .split('\n')
        .find((l) => l.startsWith('sextant_http_request_duration_seconds_count{') && l.includes('route="experiment.get"') && l.includes('status="200"'));
      return Number(line?.split(" ").pop());
    };
    const baseline = await fetchedCount();
    for (let i = 0; i < 10; i++) {
      expect((await getOnNewConnection(`${url}/v1/experiments/${created.body.id}`, TOKEN)).status).toBe(200);
    }
    for (let i = 0; i < 4; i++) expect(await fetchedCount()).toBe(baseline + 10);
  }, 300_000);
});
