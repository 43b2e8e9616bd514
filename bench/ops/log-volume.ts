/**
 * Log bytes per 1000 requests with the default log settings (docs/runbook.md reports the result).
 *
 *   npx tsx bench/ops/log-volume.ts [--requests 3000] [--concurrency 4] [--set key=value ...]
 *
 * Starts an embedded server in this process (fresh in-memory database), drives a SigOpt-style mix
 * over real sockets — per experiment loop: create suggestion, report observation, read the
 * experiment, list observations; plus ~2% requests for missing objects (404) — and counts every
 * byte the logger writes. `--set log.success_sample_rate=1` etc. compare other settings.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '../../src/runtime/api-process.ts';
import { KyselyStore } from '../../src/store/kysely/kysely-store.ts';
import { openPglite } from '../../src/store/pglite/open-pglite.ts';
import { pgliteTemplate } from '../../src/store/pglite/pglite-template.ts';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '4' },
    set: { type: 'string', multiple: true, default: [] },
  },
});
const total = Number(args.requests);
const concurrency = Number(args.concurrency);
const settings = Object.fromEntries(args.set.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));

const dataDir = await mkdtemp(join(tmpdir(), 'sextant-logvol-'));
const store = new KyselyStore(await openPglite(undefined, { loadDataDir: await pgliteTemplate() }), 'pglite');
let bytes = 0;
let lines = 0;
const byMsg = new Map<string, number>();
const server = await startServer({
  port: 0,
  dataDir,
  store,
  apiToken: 'log-volume-token-0123456789',
  env: {},
  settings: settings as never,
  logDestination: {
    write(line: string) {
      bytes += Buffer.byteLength(line);
      lines++;
      const msg = (JSON.parse(line) as { msg?: string }).msg ?? '';
      byMsg.set(msg, (byMsg.get(msg) ?? 0) + 1);
    },
  },
});
const auth = { authorization: `Basic ${Buffer.from('log-volume-token-0123456789:').toString('base64')}`, 'content-type': 'application/json' };
const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${server.url}${path}`, { method, headers: auth, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

const startBytes = bytes;
const startLines = lines;
let sent = 0;
const statuses = new Map<number, number>();
const count = (s: number) => statuses.set(s, (statuses.get(s) ?? 0) + 1);
async function client(i: number): Promise<void> {
  const exp = await call('POST', '/v1/experiments', {
    name: `log volume ${i}`,
    parameters: [
      { name: 'x', type: 'double', bounds: { min: 0, max: 1 } },
      { name: 'y', type: 'int', bounds: { min: 1, max: 50 } },
    ],
    observation_budget: 1000,
  });
  count(exp.status);
  sent++;
  while (sent < total) {
    const s = await call('POST', `/v1/experiments/${exp.body.id}/suggestions`, {});
    count(s.status);
    const x = Number(s.body.assignments?.x ?? 0.5);
    const o = await call('POST', `/v1/experiments/${exp.body.id}/observations`, { suggestion: s.body.id, values: [{ value: -((x - 0.3) ** 2) }] });
    count(o.status);
    count((await call('GET', `/v1/experiments/${exp.body.id}`)).status);
    count((await call('GET', `/v1/experiments/${exp.body.id}/observations?limit=10`)).status);
    sent += 4;
    if (sent % 200 < 4) {
      count((await call('GET', '/v1/experiments/999999999')).status);
      sent++;
    }
  }
}
const started = Date.now();
await Promise.all(Array.from({ length: concurrency }, (_, i) => client(i)));
const seconds = (Date.now() - started) / 1000;
await server.close();
await rm(dataDir, { recursive: true, force: true });

const per1000 = ((bytes - startBytes) / sent) * 1000;
process.stdout.write(
  `${JSON.stringify(
    {
      requests: sent,
      seconds: Math.round(seconds * 10) / 10,
      statuses: Object.fromEntries(statuses),
      settings,
      logLines: lines - startLines,
      logBytes: bytes - startBytes,
      logBytesPer1000Requests: Math.round(per1000),
      linesByMessage: Object.fromEntries(byMsg),
    },
    null,
    2,
  )}\n`,
);
