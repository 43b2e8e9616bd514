import { Command } from '@commander-js/extra-typings';
import { renderConfigurationDocs } from '../config/configuration-docs.ts';
import { renderErrorCatalogDocs } from '../domain/error-catalog-docs.ts';
import { DEFAULT_SERVER_URL, PROCESS_DEFAULTS } from '../config/settings-registry.ts';
import { CliError, type Connection, type ConnectionOptions, adminApi, resolveConnection as connection } from './admin-api-client.ts';

interface GlobalOptions extends ConnectionOptions {
  json?: boolean;
}

/**
 * `sextant config`: reads and changes the settings of a running server through its admin API
 * (GET/PUT/DELETE /v1/admin/settings, /v1/admin/profiles, /v1/admin/audit). Credentials: --token,
 * else SEXTANT_API_TOKEN, else the api-token file the first start wrote into --data-dir.
 */
export function configCommand() {
  const config = new Command('config')
    .description('Show and change the settings of a running server without restarting it (docs/configuration.md)')
    .option('--url <url>', 'server URL', process.env.SEXTANT_URL ?? process.env.SIGOPT_API_URL ?? DEFAULT_SERVER_URL)
    .option('--token <token>', 'client API token or an owner user token (default: SEXTANT_API_TOKEN, then <data-dir>/api-token)')
    .option('--data-dir <dir>', 'where `sextant serve` wrote its api-token file', process.env.SEXTANT_DATA_DIR ?? PROCESS_DEFAULTS.dataDir)
    .option('--json', 'print the raw JSON answer');

  const run = (fn: (c: Connection, g: GlobalOptions) => Promise<void>) => async () => {
    const g = config.opts() as GlobalOptions;
    try {
      await fn(await connection(g), g);
    } catch (err) {
      process.stderr.write(`sextant config: ${err instanceof CliError ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  };

  config
    .command('list')
    .description('every setting with its value and the layer it came from')
    .action(
      run(async (c, g) => {
        const body = await adminApi(c).listSettings();
        if (g.json) return print(body);
        const rows = (body.data as Record<string, unknown>[]).map((s) => [String(s.key), show(s.value, s.unit), String(s.source), String(s.apply)]);
        table([['KEY', 'VALUE', 'SOURCE', 'APPLIES'], ...rows]);
        const active = body.active_profile as { name: string } | null;
        process.stdout.write(`\nload profile: ${active ? active.name : 'none applied'}\n`);
      }),
    );

  config
    .command('get')
    .description('one setting: value, layers, range and description')
    .argument('<key>')
    .action((key) =>
      run(async (c, g) => {
        const s = await adminApi(c).getSetting(key);
        if (g.json) return print(s);
        describe(s);
      })(),
    );

  config
    .command('set')
    .description('store a live override (applies within a second; "restart" settings at the next start)')
    .argument('<key>')
    .argument('<value>')
    .action((key, value) =>
      run(async (c, g) => {
        const before = await adminApi(c).getSetting(key);
        const s = await adminApi(c).setSetting(key, value);
        if (g.json) return print(s);
        process.stdout.write(`${key}: ${show(before.value, s.unit)} → ${show(s.value, s.unit)}${s.apply === 'restart' ? ' (takes effect at the next restart)' : ''}\n`);
      })(),
    );

  config
    .command('reset')
    .description('remove the live override (back to config file / environment / default)')
    .argument('<key>')
    .action((key) =>
      run(async (c, g) => {
        const s = await adminApi(c).resetSetting(key);
        if (g.json) return print(s);
        process.stdout.write(`${key}: ${show(s.value, s.unit)} (from ${String(s.source)})\n`);
      })(),
    );

  const profile = config.command('profile').description('load profiles: named sets of overrides (default, high-load)');
  profile
    .command('list')
    .description('the profiles and what they set')
    .action(
      run(async (c, g) => {
        const body = await adminApi(c).listProfiles();
        if (g.json) return print(body);
        const active = body.active_profile as { name: string } | null;
        for (const p of body.data as { name: string; description: string; overrides: Record<string, unknown> }[]) {
          process.stdout.write(`${p.name}${active?.name === p.name ? ' (applied)' : ''}: ${p.description}\n`);
          for (const [k, v] of Object.entries(p.overrides)) process.stdout.write(`  ${k} = ${String(v)}\n`);
        }
      }),
    );
  profile
    .command('apply')
    .description('replace all live overrides with the profile\'s')
    .argument('<name>')
    .action((name) =>
      run(async (c, g) => {
        const body = await adminApi(c).applyProfile(name);
        if (g.json) return print(body);
        process.stdout.write(`applied profile ${name}\n`);
        printChanges(body.changed as Record<string, { old: unknown; new: unknown }>);
      })(),
    );
  profile
    .command('revert')
    .description('restore the overrides in force before the profile was applied')
    .action(
      run(async (c, g) => {
        const body = await adminApi(c).revertProfile();
        if (g.json) return print(body);
        process.stdout.write(`reverted profile ${String(body.reverted)}\n`);
        printChanges(body.changed as Record<string, { old: unknown; new: unknown }>);
      }),
    );

  config
    .command('audit')
    .description('recent setting changes: who, when, old → new')
    .option('--limit <n>', 'entries to show', '20')
    .action((o) =>
      run(async (c, g) => {
        const body = await adminApi(c).settingsAudit({ limit: o.limit });
        if (g.json) return print(body);
        for (const e of body.data as { created: number; actor: string; action: string; details: unknown }[]) {
          process.stdout.write(`${new Date(e.created * 1000).toISOString()}  ${e.actor}  ${e.action}  ${JSON.stringify(e.details)}\n`);
        }
      })(),
    );

  config
    .command('docs')
    .description('print the configuration reference (docs/configuration.md) generated from the registry; needs no server')
    .action(() => {
      process.stdout.write(renderConfigurationDocs());
    });

  config
    .command('errors')
    .description('print the error reference (docs/errors.md) generated from the error catalog; needs no server')
    .action(() => {
      process.stdout.write(renderErrorCatalogDocs());
    });

  return config;
}

function describe(s: Record<string, any>): void {
  const lines: [string, string][] = [
    ['value', `${show(s.value, s.unit)} (from ${String(s.source)})`],
    ['without override', `${show(s.base_value, s.unit)} (from ${String(s.base_source)})`],
    ['default', show(s.default, s.unit)],
    ['range', s.type === 'enum' ? (s.values as string[]).join(', ') : s.type === 'boolean' ? 'true, false' : `${String(s.min)} – ${String(s.max)}`],
    ['applies', s.apply === 'live' ? 'live' : 'at restart'],
    ['environment', String(s.env)],
  ];
  if (s.override) lines.push(['override set', `${new Date(Number(s.override.updated) * 1000).toISOString()} by ${String(s.override.actor)}`]);
  process.stdout.write(`${String(s.key)}\n`);
  for (const [k, v] of lines) process.stdout.write(`  ${k.padEnd(17)}${v}\n`);
  process.stdout.write(`\n  ${String(s.description)}\n  When to change: ${String(s.when_to_change)}\n`);
}

function printChanges(changed: Record<string, { old: unknown; new: unknown }>): void {
  const entries = Object.entries(changed);
  if (entries.length === 0) process.stdout.write('  (no value changed)\n');
  for (const [k, v] of entries) process.stdout.write(`  ${k}: ${String(v.old)} → ${String(v.new)}\n`);
}

function show(value: unknown, unit: unknown): string {
  return `${String(value)}${typeof unit === 'string' && unit && typeof value === 'number' ? ` ${unit}` : ''}`;
}

function table(rows: string[][]): void {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const r of rows) process.stdout.write(`${r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()}\n`);
}

function print(body: unknown): void {
  process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
}
