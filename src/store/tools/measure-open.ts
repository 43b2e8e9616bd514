/**
 * Measures what a server restart pays for the store: open PGlite on an existing data dir and run
 * the (no-op) migration check. Prints wall and CPU milliseconds per run plus the load average,
 * because on a shared machine wall time mostly measures the neighbours.
 *
 *   npx tsx src/store/tools/measure-open.ts [runs]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../open-store.ts';

const runs = Number(process.argv[2] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'sextant-measure-'));
try {
  const first = await openStore({ dataDir: dir });
  await first.organizations.create({ name: 'measure', created: 0 });
  await first.close();
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    const store = await openStore({ dataDir: dir });
    await store.organizations.hasAny();
    const wall = performance.now() - t;
    const used = process.cpuUsage(cpu);
    await store.close();
    console.log(`open+migrate+first query: wall ${wall.toFixed(0)} ms, cpu ${((used.user + used.system) / 1000).toFixed(0)} ms, load ${loadavg()[0]!.toFixed(1)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
