/**
 * Engine against engine on the same seeds: reads two optimizer-quality JSON files (a run of the
 * engine before a change, one after), compares sextant's final values per function and mode with
 * two-sided Mann-Whitney tests (p < 0.05, lower is better), and writes a markdown table.
 *   npx tsx bench/optimizer/compare-engines.ts BEFORE.json AFTER.json [--out bench/results/optimizer-engine-comparison.md]
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatNumber } from './format-number.ts';
import { decodeScore } from './job.ts';
import { mannWhitneyU, quantile } from './stats.ts';

interface QualityRow {
  readonly function: string;
  readonly mode: string;
  readonly optimizers: Readonly<Record<string, { readonly seeds: readonly number[]; readonly finalBest: readonly (number | null)[] }>>;
}

interface QualityFile {
  readonly command: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly rows: readonly QualityRow[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' } } });
if (positionals.length !== 2) {
  process.stderr.write('usage: compare-engines.ts BEFORE.json AFTER.json [--out FILE.md]\n');
  process.exit(2);
}
const [before, after] = (await Promise.all(positionals.map(async (p) => JSON.parse(await readFile(p, 'utf8')) as QualityFile))) as [QualityFile, QualityFile];
const finals = (row: QualityRow | undefined): number[] | null => {
  const s = row?.optimizers['sextant'];
  return s ? s.finalBest.map(decodeScore) : null;
};
const lines = [
  '# Engine against engine, same seeds',
  '',
  `Before: \`${before.command}\` at ${before.environment['commit'] ?? '?'}; after: \`${after.command}\` at ${after.environment['commit'] ?? '?'}.`,
  'Final best values of sextant per function and mode (lower is better), two-sided Mann-Whitney U, p < 0.05: "better"/"worse" is the after-engine against the before-engine.',
  '',
  '| function | mode | before median | after median | p | verdict |',
  '|---|---|---|---|---|---|',
];
const tally: Record<string, Record<string, number>> = {};
for (const row of after.rows) {
  const a = finals(before.rows.find((r) => r.function === row.function && r.mode === row.mode));
  const b = finals(row);
  if (a === null || b === null) continue;
  const r = mannWhitneyU(b, a);
  const v = r.p >= 0.05 ? 'tie' : r.z < 0 ? 'better' : 'worse';
  (tally[row.mode] ??= { better: 0, tie: 0, worse: 0 })[v]! += 1;
  lines.push(`| ${row.function} | ${row.mode} | ${formatNumber(quantile(a, 0.5))} | ${formatNumber(quantile(b, 0.5))} | ${r.p < 0.001 ? '<0.001' : r.p.toFixed(3)} | ${v} |`);
}
lines.push('', '| mode | better / tie / worse |', '|---|---|');
for (const [mode, t] of Object.entries(tally)) lines.push(`| ${mode} | ${t.better} / ${t.tie} / ${t.worse} |`);
lines.push('');
const text = lines.join('\n');
if (values.out) await writeFile(values.out, text);
process.stdout.write(text);
