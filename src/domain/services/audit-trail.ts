import type { Principal } from '../access/principal.ts';
import type { AuditEntry } from '../../store/store.ts';

/**
 * The audit actor of a request: the person when the token is bound to a user (`user:12`), else
 * the token (`token:7`, e.g. a client's root token). Token values never appear in the log.
 */
export function auditActor(p: Principal): string {
  return p.userId !== null ? `user:${p.userId}` : `token:${p.token.id}`;
}

/** One audit entry for a create/update/delete done by `p` (append it in the same transaction). */
export function auditEntry(
  p: Principal,
  action: string,
  object: { readonly type: string; readonly id: string },
  created: number,
  details: Readonly<Record<string, unknown>> | null = null,
): Omit<AuditEntry, 'id'> {
  return { actor: auditActor(p), action, objectType: object.type, objectId: object.id, created, details: { ...details, token: p.token.id } };
}
