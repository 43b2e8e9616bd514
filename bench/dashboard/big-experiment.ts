/**
 * How fast the dashboard's experiment page becomes usable for a big experiment (issue 13 item 5).
 *
 * Starts a server (embedded PGlite, in memory), stores N observations (default 100,000) through the
 * batch API, then opens the experiment page in headless chromium and records, from navigation:
 * - `interactive_ms`: the header, the history chart (with points) and the first table page are
 *   on screen — the page is usable while older observations keep loading;
 * - `complete_ms`: every observation is loaded and charted (the loading note is gone).
 * Writes bench/results/dashboard-big-experiment.{json,md}. Run: npx tsx bench/dashboard/big-experiment.ts [N] [runs]
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { basic } from '../../test/support/conformance.ts';
import { startTestServer } from '../../test/support/server.ts';

const N = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 3);
const CHROMIUM = process.env.SEXTANT_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM}`);

const srv = await startTestServer('pglite');
const api = async (method: string, path: string, body?: unknown): Promise<any> => {
  const res = await fetch(`${srv.url}${path}`, {
    method,
    headers: { authorization: basic(srv.token), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
};

try {
  const experiment = await api('POST', '/v1/experiments', {
    name: `Big experiment (${N} observations)`,
    parameters: [
      { name: 'x', type: 'double', bounds: { min: 0, max: 1 } },
      { name: 'y', type: 'double', bounds: { min: 0, max: 1 } },
      { name: 'k', type: 'int', bounds: { min: 1, max: 10 } },
    ],
    metrics: [{ name: 'f', objective: 'maximize' }],
  });
  const seedStart = Date.now();
  let seed = 1;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let done = 0; done < N; done += 2500) {
    const observations = Array.from({ length: Math.min(2500, N - done) }, () => {
      const x = rnd();
      const y = rnd();
      return {
        assignments: { x, y, k: 1 + Math.floor(rnd() * 10) },
        values: [{ name: 'f', value: -((x - 0.3) ** 2) - (y - 0.7) ** 2 + rnd() * 0.01 }],
      };
    });
    await api('POST', `/v1/experiments/${experiment.id}/observations/batch`, { observations, no_optimize: true });
  }
  const seedMs = Date.now() - seedStart;
  console.log(`stored ${N} observations in ${seedMs} ms`);

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const runs: { interactive_ms: number; complete_ms: number }[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(`window.sessionStorage.setItem('sextant.token', ${JSON.stringify(srv.token)})`);
    const page = await context.newPage();
    page.setDefaultTimeout(300_000);
    const t0 = Date.now();
    await page.goto(`${srv.url}/experiments/${experiment.id}`);
    await page.waitForFunction(
      () => {
        const d = (globalThis as any).document;
        return (
          Number(d.querySelector('[data-testid=chart-history]')?.dataset.points) > 0 &&
          d.querySelectorAll('[data-testid=observations-table] tbody tr').length > 0
        );
      },
      undefined,
      { polling: 50 },
    );
    const interactive = Date.now() - t0;
    console.log(`run ${run + 1}: interactive after ${interactive} ms`);
    const progress = setInterval(() => {
      void page
        .getByTestId('loading')
        .textContent({ timeout: 1000 })
        .then((t) => console.log(`  ${Date.now() - t0} ms: ${t}`))
        .catch(() => undefined);
    }, 5000);
    await page
      .waitForFunction(
        (n) => {
          const d = (globalThis as any).document;
          return (
            d.querySelector('[data-testid=loading]') === null &&
            d.querySelector('[data-testid=observations-table]')?.closest('section')?.textContent?.includes(`(${n} observations)`)
          );
        },
        N,
        { polling: 100, timeout: Number(process.env.COMPLETE_TIMEOUT_MS ?? 300_000) },
      )
      .catch(async (err: unknown) => {
        await page.screenshot({ path: '/tmp/big-experiment-timeout.png' });
        console.log(
          await page.evaluate(() =>
            (globalThis as any).document.querySelector('[data-testid=observations-table]')?.closest('section')?.textContent?.slice(-200),
          ),
        );
        throw err;
      });
    clearInterval(progress);
    runs.push({ interactive_ms: interactive, complete_ms: Date.now() - t0 });
    console.log(`run ${run + 1}: complete after ${Date.now() - t0} ms`);
    await context.close();
  }
  await browser.close();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const result = {
    observations: N,
    cores: cpus().length,
    load_average: loadavg()[0],
    seed_ms: seedMs,
    runs,
    interactive_ms_median: median(runs.map((r) => r.interactive_ms)),
    complete_ms_median: median(runs.map((r) => r.complete_ms)),
  };
  console.log(JSON.stringify(result, null, 2));
  await writeFile(new URL('../results/dashboard-big-experiment.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(
    new URL('../results/dashboard-big-experiment.md', import.meta.url),
    `# Dashboard: experiment page with ${N} observations\n\n` +
      `Headless chromium, embedded PGlite server in the same machine (${result.cores} cores, shared). From navigation:\n\n` +
      `| run | interactive (header, history chart, first table page) | complete (all observations loaded and charted) |\n|---|---|---|\n` +
      runs.map((r, i) => `| ${i + 1} | ${r.interactive_ms} ms | ${r.complete_ms} ms |`).join('\n') +
      `\n\nMedian: interactive ${result.interactive_ms_median} ms, complete ${result.complete_ms_median} ms. ` +
      `Produced by \`npx tsx bench/dashboard/big-experiment.ts ${N} ${RUNS}\`; load average at the end: ${loadavg()[0]!.toFixed(1)}.\n`,
  );
} finally {
  await srv.close();
}
