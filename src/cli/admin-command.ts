import { Command } from '@commander-js/extra-typings';
import { systemClock } from '../domain/ports/clock.ts';
import { CliError, type Connection, type ConnectionOptions, adminApi, resolveConnection } from './admin-api-client.ts';
import { parseTokenExpiry } from './token-expiry.ts';
import { DEFAULT_SERVER_URL, PROCESS_DEFAULTS } from '../config/settings-registry.ts';

interface GlobalOptions extends ConnectionOptions {
  json?: boolean;
}

type Body = Record<string, any>;

/**
 * `sextant admin`: organizations, clients (teams), users, memberships, tokens and the audit log of
 * a running server, through its admin API (/v1/admin/…, docs/security.md). Every command prints a
 * short human summary, or the server's JSON answer with --json. New token values are printed once.
 */
export function adminCommand() {
  const admin = new Command('admin')
    .description('Add teams, users and tokens; revoke tokens; read the audit log (docs/security.md)')
    .option('--url <url>', 'server URL', process.env.SEXTANT_URL ?? process.env.SIGOPT_API_URL ?? DEFAULT_SERVER_URL)
    .option('--token <token>', 'a client root token or an owner/admin token (default: SEXTANT_API_TOKEN, then <data-dir>/api-token)')
    .option('--data-dir <dir>', 'where `sextant serve` wrote its api-token file', process.env.SEXTANT_DATA_DIR ?? PROCESS_DEFAULTS.dataDir)
    .option('--json', 'print the raw JSON answer');

  const run = (fn: (c: Connection) => Promise<{ body: unknown; text: string }>) => async () => {
    const g = admin.opts() as GlobalOptions;
    try {
      const { body, text } = await fn(await resolveConnection(g));
      process.stdout.write(g.json ? `${JSON.stringify(body, null, 2)}\n` : `${text}\n`);
    } catch (err) {
      process.stderr.write(`sextant admin: ${err instanceof CliError || err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  };

  const org = admin.command('org').description('organizations (operator only)');
  org
    .command('create')
    .description('create an organization')
    .requiredOption('--name <name>', 'organization name')
    .action((o) =>
      run(async (c) => {
        const b = await adminApi(c).createOrganization({ name: o.name });
        return { body: b, text: `organization ${b.id} "${b.name}" created` };
      })(),
    );

  const client = admin.command('client').description('clients (teams)');
  client
    .command('create')
    .description('create a client in an organization; prints its root API token once')
    .requiredOption('--org <id>', 'organization id')
    .requiredOption('--name <name>', 'client (team) name')
    .action((o) =>
      run(async (c) => {
        const b = await adminApi(c).createClient({ organization: o.org, name: o.name });
        const t = b.root_token as Body;
        return { body: b, text: `client ${b.id} "${b.name}" created in organization ${b.organization}\nroot API token (shown once, store it now): ${t.token}` };
      })(),
    );

  const user = admin.command('user').description('users and their roles in clients');
  user
    .command('create')
    .description('create a user (a person); then add them to a client')
    .requiredOption('--email <email>', 'email address (unique)')
    .requiredOption('--name <name>', 'display name')
    .action((o) =>
      run(async (c) => {
        const b = await adminApi(c).createUser({ email: o.email, name: o.name });
        return { body: b, text: `user ${b.id} <${b.email}> created` };
      })(),
    );
  user
    .command('add')
    .description('give a user a role in a client (adds them, or changes their role)')
    .requiredOption('--client <id>', 'client id')
    .requiredOption('--user <id>', 'user id')
    .requiredOption('--role <role>', 'owner, admin, write or read')
    .action((o) =>
      run(async (c) => {
        const b = await adminApi(c).putMembership(o.client, { user: o.user, role: o.role });
        return { body: b, text: `user ${b.user} has role ${b.role} in client ${b.client}` };
      })(),
    );
  user
    .command('remove')
    .description('remove a user from a client (their tokens for it stop working)')
    .requiredOption('--client <id>', 'client id')
    .requiredOption('--user <id>', 'user id')
    .action((o) =>
      run(async (c) => {
        const b = await adminApi(c).deleteMembership(o.client, o.user);
        return { body: b, text: `user ${o.user} removed from client ${o.client}` };
      })(),
    );

  const token = admin.command('token').description('API tokens (values are stored hashed: a value is shown only when created or rotated)');
  token
    .command('create')
    .description('a client API token (bound to a member with --user), or with --development a member\'s development token')
    .requiredOption('--client <id>', 'client id')
    .option('--user <id>', 'bind the token to this member (acts with their role)')
    .option('--development', 'a development token (development experiments, random suggestions); needs --user')
    .option('--expires <when>', 'duration (90m, 12h, 30d, 2w), unix time, or never', 'never')
    .action((o) =>
      run(async (c) => {
        const expires = parseTokenExpiry(o.expires, systemClock.now());
        const b = await adminApi(c).createToken({
          client: o.client,
          ...(o.user !== undefined ? { user: o.user } : {}),
          ...(o.development ? { development: true } : {}),
          expires,
        });
        const until = b.expires === null ? 'never expires' : `expires ${new Date(Number(b.expires) * 1000).toISOString()}`;
        return { body: b, text: `${b.token_type} token ${b.id} for client ${b.client}${b.user ? ` and user ${b.user}` : ''} (${until})\ntoken (shown once): ${b.token}` };
      })(),
    );
  token
    .command('list')
    .description('the tokens of a client (ids, kinds, expiry; never values)')
    .requiredOption('--client <id>', 'client id')
    .option('--include-revoked', 'also list revoked tokens')
    .action((o) =>
      run(async (c) => {
        const b = await adminApi(c).listTokens(o.client, o.includeRevoked ? { include_revoked: true } : {});
        const lines = (b.data as Body[]).map(
          (t) => `${String(t.id).padEnd(6)} ${String(t.token_type).padEnd(11)} user=${t.user ?? '-'} ${t.root ? 'root ' : ''}${t.revoked ? 'revoked ' : ''}expires=${t.expires ?? 'never'}`,
        );
        return { body: b, text: lines.length > 0 ? lines.join('\n') : '(no tokens)' };
      })(),
    );
  token
    .command('revoke')
    .description('revoke a token, given by id (see token list) or by value')
    .argument('<token>', 'token id or token value')
    .action((t) =>
      run(async (c) => {
        // The server tells ids (all digits) from values (32 base64url characters).
        const b = await adminApi(c).revokeToken(t);
        return { body: b, text: `token ${/^\d+$/.test(t) ? t : '(by value)'} revoked` };
      })(),
    );
  token
    .command('rotate')
    .description('give a token (e.g. a leaked root token) a new value; the old one stops working')
    .argument('<token>', 'token id or token value')
    .action((id) =>
      run(async (c) => {
        const b = await adminApi(c).rotateToken(id);
        return { body: b, text: `token ${b.id} rotated\nnew value (shown once): ${b.token}` };
      })(),
    );

  const audit = admin.command('audit').description('the audit log: who did what to which object (operator only)');
  audit
    .command('list')
    .description('recent entries, newest first')
    .option('--object-type <type>', 'experiment, token, membership, client, user, organization, settings')
    .option('--object-id <id>', 'one object (with --object-type)')
    .option('--actor <actor>', 'e.g. user:12 or token:7')
    .option('--action <action>', 'e.g. token.revoke')
    .option('--limit <n>', 'entries to show', '50')
    .action((o) =>
      run(async (c) => {
        const b = await adminApi(c).auditLog({ limit: o.limit, object_type: o.objectType, object_id: o.objectId, actor: o.actor, action: o.action });
        const lines = (b.data as Body[]).map(
          (e) => `${new Date(Number(e.created) * 1000).toISOString()}  ${String(e.actor).padEnd(10)} ${String(e.action).padEnd(18)} ${e.object_type}:${e.object_id ?? '-'}  ${JSON.stringify(e.details)}`,
        );
        return { body: b, text: lines.length > 0 ? lines.join('\n') : '(no entries)' };
      })(),
    );

  return admin;
}
