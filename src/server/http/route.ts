import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from '../../domain/access/principal.ts';
import type { QueryParams } from './query-params.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Everything a route handler gets: the caller, path parameters, typed query and parsed body. */
export interface RouteContext {
  /**
   * The authenticated caller. On routes whose `auth` is 'optional' or 'none' reading it without a
   * token throws the 401 of spec §1.2; such routes read {@link caller} instead.
   */
  readonly principal: Principal;
  /** The caller, or null on an 'optional' route called without a token (always null on 'none' routes). */
  readonly caller: Principal | null;
  /** The client's address (socket peer; per-address limits such as login attempts). */
  readonly remoteAddress: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: QueryParams;
  /** The JSON body object (POST/PUT), `{}` when empty or for GET/DELETE. `fields` removed. */
  readonly body: Record<string, unknown>;
  readonly headers: IncomingHttpHeaders;
  readonly requestId: string;
}

/**
 * One API route. Paths use `{name}` for numeric ids (a non-integer segment is "no such route", spec
 * §1.1) and `{name:str}` for string segments (project ids, token values).
 */
export interface RouteDef {
  readonly method: Method;
  readonly path: string;
  /** Development tokens may call it (experiment family, projects, tokens/self, sessions). */
  readonly allowDevelopment?: boolean;
  /** Guest/share tokens may call it (experiment endpoints and tokens/self). */
  readonly allowGuest?: boolean;
  /** Byte limit for this route's body (the batch endpoint takes more). */
  readonly bodyLimit?: number;
  /**
   * 'token' (default): every request needs a valid token. 'optional': a token is read when one is
   * sent (POST /v1/users: open sign-up, or an administrator's). 'none': no token is read at all
   * (POST /v1/sessions: the credentials are in the body).
   */
  readonly auth?: 'token' | 'optional' | 'none';
  /** Statement name for metrics and logs. */
  readonly name: string;
  handler(ctx: RouteContext): Promise<unknown>;
}
