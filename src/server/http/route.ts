import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from '../../domain/access/principal.ts';
import type { QueryParams } from './query-params.ts';

/** MERGE is SigOpt's merging update of training runs (the python client's `log_*` calls). */
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'MERGE';

/** The parameter names of a route path: `'/v1/clients/{id}/projects/{pid:str}'` gives `'id' | 'pid'`. */
export type PathParamNames<P extends string> = P extends `${string}{${infer Segment}}${infer Rest}`
  ? (Segment extends `${infer Name}:str` ? Name : Segment) | PathParamNames<Rest>
  : never;

/**
 * The path parameters of a route, typed from its path template. Every named segment is present:
 * the router only calls a handler whose whole pattern matched, and `buildApp` checks it once.
 * A path erased to `string` (the route table) gives a plain record.
 */
export type PathParams<P extends string> = string extends P
  ? Readonly<Record<string, string>>
  : { readonly [K in PathParamNames<P>]: string };

/** Everything a route handler gets: the caller, path parameters, typed query and parsed body. */
export interface RouteContext<P extends string = string> {
  /**
   * The authenticated caller. On routes whose `auth` is 'optional' or 'none', reading it without a
   * token throws the 401 of docs/api-compatibility.md#authentication; such routes read {@link caller} instead.
   */
  readonly principal: Principal;
  /** The caller, or null on an 'optional' route called without a token (always null on 'none' routes). */
  readonly caller: Principal | null;
  /** The client's address (socket peer; per-address limits such as login attempts). */
  readonly remoteAddress: string;
  readonly params: PathParams<P>;
  readonly query: QueryParams;
  /** The JSON body object (POST/PUT/MERGE), `{}` when empty or for GET/DELETE. `fields` removed. */
  readonly body: Record<string, unknown>;
  readonly headers: IncomingHttpHeaders;
  readonly requestId: string;
  /** The body bytes as received (routes with `rawBody`; empty otherwise). */
  readonly rawBody: Uint8Array;
}

/**
 * One API route. Paths use `{name}` for numeric ids (a non-integer segment is "no such route",
 * docs/api-compatibility.md#routing) and `{name:str}` for string segments (project ids, token values). Write routes with
 * {@link route}, which types `params` from the path.
 */
export interface RouteDef<P extends string = string> {
  readonly method: Method;
  readonly path: P;
  /** Development tokens may call it (experiment family, projects, tokens/self, sessions). */
  readonly allowDevelopment?: boolean;
  /** Guest/share tokens may call it (experiment endpoints and tokens/self). */
  readonly allowGuest?: boolean;
  /** Byte limit for this route's body (the batch endpoint takes more). */
  readonly bodyLimit?: number;
  /**
   * 'token' (default): every request needs a valid token. 'optional': a token is read when one is
   * sent (POST /v1/users: open sign-up, or an administrator's). 'none': no token is read at all
   * (POST /v1/sessions: the credentials are in the body; a run file's upload link: its own token).
   */
  readonly auth?: 'token' | 'optional' | 'none';
  /** The body is bytes (an upload), not JSON: `body` is `{}` and `rawBody` holds it. */
  readonly rawBody?: boolean;
  /** Statement name for metrics and logs. */
  readonly name: string;
  handler(ctx: RouteContext<P>): Promise<unknown>;
}

/**
 * Declares a route: the path literal types the handler's `c.params`, and the result is erased to
 * `RouteDef` so that routes of different paths share one table.
 */
export function route<const P extends string>(def: RouteDef<P>): RouteDef {
  return def;
}
