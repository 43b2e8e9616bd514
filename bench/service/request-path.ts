/**
 * Which source files one request runs through: an embedded server in this process, an experiment
 * past its initial design, then V8's precise coverage (call counts) taken around exactly one
 * request. A file counts when any function of it ran during that request. Engine threads are other
 * isolates and do not count (a suggestion request only reads the pool they fill).
 *
 *   npx tsx bench/service/request-path.ts [--route suggestion|observation] [--out bench/results/request-path.md]
 *
 * Works on older checkouts too (it finds startServer where that commit kept it), so a before/after
 * pair is measured by the same program.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const out = flag('out');
const TOKEN = 'request-path-token-0123456789';

async function main(): Promise<void> {
  const entry = ['src/runtime/api-process.ts', 'src/server/sextant-server.ts'].map((p) => join(root, p)).find((p) => existsSync(p));
  if (!entry) throw new Error('no startServer module in this checkout');
  const { startServer } = (await import(pathToFileURL(entry).href)) as { startServer: (o: object) => Promise<any> };
  const dataDir = mkdtempSync(join(tmpdir(), 'sextant-request-path-'));
  const server = await startServer({
    port: 0,
    dataDir,
    apiToken: TOKEN,
    logger: false,
    settings: { 'rate_limit.reads_per_second': 0, 'rate_limit.writes_per_second': 0 },
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Basic ${Buffer.from(`${TOKEN}:`).toString('base64')}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as any;
  };
  try {
    const experiment = await call('POST', '/v1/experiments', {
      name: 'request path',
      parameters: [
        { name: 'x', type: 'double', bounds: { min: 0, max: 1 } },
        { name: 'y', type: 'double', bounds: { min: 0, max: 1 } },
      ],
      observation_budget: 40,
    });
    const cycle = async () => {
      const s = await call('POST', `/v1/experiments/${experiment.id}/suggestions`, {});
      await call('POST', `/v1/experiments/${experiment.id}/observations`, {
        suggestion: s.id,
        values: [{ value: s.assignments.x - s.assignments.y }],
      });
    };
    // Past the initial design, so the suggestion below comes from the model's pool; warm every path.
    for (let i = 0; i < 14; i++) await cycle();
    await new Promise((r) => setTimeout(r, 1500));
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    await session.post('Profiler.takePreciseCoverage'); // resets the counters
    const route = flag('route') ?? 'suggestion';
    let s: any = null;
    if (route === 'observation') s = await call('POST', `/v1/experiments/${experiment.id}/suggestions`, {});
    if (route === 'observation') await session.post('Profiler.takePreciseCoverage');
    if (route === 'suggestion') await call('POST', `/v1/experiments/${experiment.id}/suggestions`, {});
    else await call('POST', `/v1/experiments/${experiment.id}/observations`, { suggestion: s.id, values: [{ value: 0.5 }] });
    const { result } = await session.post('Profiler.takePreciseCoverage');
    await session.post('Profiler.stopPreciseCoverage');
    session.disconnect();
    const files = result
      .filter((r) => r.url.startsWith('file://') && r.url.includes('/src/') && r.functions.some((f) => f.ranges.some((x) => x.count > 0)))
      .map((r) => relative(root, new URL(r.url).pathname))
      .filter((f) => !f.startsWith('node_modules') && !f.startsWith('..'))
      .sort();
    const lines = [
      `# Files on the request path: one ${route} request`,
      '',
      `Measured by \`npx tsx bench/service/request-path.ts --route ${route}\` at ${new Date().toISOString().slice(0, 10)}: an embedded server in`,
      'the measuring process, an experiment past its initial design, and V8 precise coverage taken around exactly one',
      'request. A file counts when any of its functions ran during that request (engine threads excluded).',
      '',
      `**${files.length} files**`,
      '',
      ...files.map((f) => `- ${f}`),
      '',
    ];
    const text = lines.join('\n');
    if (out) writeFileSync(out, text);
    process.stdout.write(text);
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
