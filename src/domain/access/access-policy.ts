import { forbidden, forbiddenWrite, notFound } from '../errors.ts';
import type { ExperimentRecord, Role } from '../records.ts';
import type { Principal } from './principal.ts';

/** Permission levels (spec §1.3). */
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
  if (p.role === null) return 'admin';
  return p.token.permissions === 'read' ? 'read' : roleAccess(p.role);
}

/** The caller's access to an experiment: guest tokens see only their one experiment, read-only. */
export function experimentAccess(p: Principal, exp: ExperimentRecord): Access {
  if (p.type === 'guest') return p.experimentId === exp.id ? 'read' : 'none';
  return clientAccess(p, exp.clientId);
}

/**
 * Resolves "404 unless the caller can read it, 403 when it can read but not do" (spec §1.3), plus
 * the development/production split of user-bound client tokens (spec §2.2).
 */
export function requireExperiment(p: Principal, exp: ExperimentRecord | undefined, needed: 'read' | 'write'): ExperimentRecord {
  if (!exp) throw notFound();
  const access = experimentAccess(p, exp);
  if (access === 'none') throw notFound();
  if (p.userId !== null && p.type === 'client-api' && exp.development) {
    throw forbidden(
      `Attempting to access development experiment ${exp.id} with an api token. Please reauthenticate with your development token and try again. See https://sigopt.com/docs/overview/authentication for more information.`,
    );
  }
  if (p.type === 'client-dev' && !exp.development) {
    throw forbidden(
      `Attempting to access production experiment ${exp.id} with a development token. Please reauthenticate with your api token and try again. See https://sigopt.com/docs/overview/authentication for more information.`,
    );
  }
  if (RANK[access] < RANK[needed]) throw forbiddenWrite();
  return exp;
}

/** Same rule for a client (team) addressed in the URL. */
export function requireClient(p: Principal, clientId: string, needed: 'read' | 'write'): void {
  const access = clientAccess(p, clientId);
  if (access === 'none') throw notFound();
  if (RANK[access] < RANK[needed]) throw forbiddenWrite();
}
