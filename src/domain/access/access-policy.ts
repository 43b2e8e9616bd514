import { apiError } from '../errors.ts';
import type { ExperimentRecord, Role } from '../../store/ports/records.ts';
import type { Principal } from './principal.ts';

/** Permission levels (docs/api-compatibility.md#access-rules). */
export type Access = 'none' | 'read' | 'write' | 'admin';

const RANK: Record<Access, number> = { none: 0, read: 1, write: 2, admin: 3 };

function roleAccess(role: Role): Access {
  return role === 'owner' || role === 'admin' ? 'admin' : role;
}

/** The caller's access to a client (team). */
export function clientAccess(p: Principal, clientId: string): Access {
  if (p.type === 'guest') return 'none';
  if (p.type === 'user') {
    const role = p.rolesByClient.get(clientId);
    return role ? roleAccess(role) : 'none';
  }
  if (p.clientId !== clientId) return 'none';
  if (p.token.permissions === 'read') return 'read';
  // Without a user: the root token administers the client; other team tokens (minted by
  // `sextant admin token create` without --user) act for the team but cannot manage it.
  if (p.role === null) return p.token.root ? 'admin' : 'write';
  return roleAccess(p.role);
}

/** Owner level in a client: the client's root token or an owner member. */
function ownerLevel(p: Principal, clientId: string): boolean {
  if (clientAccess(p, clientId) !== 'admin') return false;
  if (p.type === 'user') return p.rolesByClient.get(clientId) === 'owner';
  return p.role === null ? p.token.root : p.role === 'owner';
}

/** The caller's access to an experiment: guest tokens see only their one experiment, read-only. */
export function experimentAccess(p: Principal, exp: ExperimentRecord): Access {
  if (p.type === 'guest') return p.experimentId === exp.id ? 'read' : 'none';
  return clientAccess(p, exp.clientId);
}

/**
 * Resolves "404 unless the caller can read it, 403 when it can read but not do" (docs/api-compatibility.md#access-rules), plus
 * the development/production split of user-bound client tokens (docs/api-compatibility.md#token-kinds).
 */
export function requireExperiment(p: Principal, exp: ExperimentRecord | undefined, needed: 'read' | 'write'): ExperimentRecord {
  if (!exp) throw apiError('NOT_FOUND');
  const access = experimentAccess(p, exp);
  if (access === 'none') throw apiError('NOT_FOUND');
  if (p.userId !== null && p.type === 'client-api' && exp.development) {
    throw apiError('DEVELOPMENT_EXPERIMENT_WITH_API_TOKEN', { id: exp.id });
  }
  if (p.type === 'client-dev' && !exp.development) {
    throw apiError('PRODUCTION_EXPERIMENT_WITH_DEVELOPMENT_TOKEN', { id: exp.id });
  }
  if (RANK[access] < RANK[needed]) throw apiError('FORBIDDEN_WRITE');
  return exp;
}

/** Same rule for a client (team) addressed in the URL. */
export function requireClient(p: Principal, clientId: string, needed: 'read' | 'write'): void {
  const access = clientAccess(p, clientId);
  if (access === 'none') throw apiError('NOT_FOUND');
  if (RANK[access] < RANK[needed]) throw apiError('FORBIDDEN_WRITE');
}

/**
 * Administration of a client (its members and tokens) needs ADMIN on it: the client's root token,
 * an owner/admin member, or the deployment operator (see isOperator; this grants tenancy
 * administration only, never access to the client's experiments). 404 when the caller cannot
 * even read the client, 403 otherwise.
 */
export function requireClientAdmin(p: Principal, clientId: string, operatorClientIds: readonly string[] = []): void {
  if (isOperator(p, operatorClientIds)) return;
  const access = clientAccess(p, clientId);
  if (access === 'none') throw apiError('NOT_FOUND');
  if (access !== 'admin') throw apiError('FORBIDDEN_WRITE');
}

/**
 * Granting, changing or removing the owner role is reserved to owners and the root token, so an
 * admin cannot promote anyone (or themselves) above their own role.
 */
export function canManageOwners(p: Principal, clientId: string, operatorClientIds: readonly string[] = []): boolean {
  return isOperator(p, operatorClientIds) || ownerLevel(p, clientId);
}

/** Clients whose experiments the caller may list (guest tokens: none; they address one experiment). */
export function readableClientIds(p: Principal): string[] {
  if (p.type === 'guest') return [];
  if (p.type === 'user') return [...p.rolesByClient.keys()];
  return p.clientId !== null && clientAccess(p, p.clientId) !== 'none' ? [p.clientId] : [];
}

/**
 * The deployment operator: owner level (root token or owner) in a client of the first
 * organization (the one `sextant serve` created at first start and whose root token it printed).
 * Only the operator creates organizations, reads the whole audit log and administers every
 * client; team admins manage their own clients.
 */
export function isOperator(p: Principal, operatorClientIds: readonly string[]): boolean {
  return operatorClientIds.some((id) => ownerLevel(p, id));
}

/** Operator-only actions: 403 for everyone else (the admin API's existence is no secret). */
export function requireOperator(p: Principal, operatorClientIds: readonly string[]): void {
  if (!isOperator(p, operatorClientIds)) throw apiError('FORBIDDEN_WRITE');
}
