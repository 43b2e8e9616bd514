import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from '../../domain/access/principal.ts';
import type { QueryParams } from './query-params.ts';

/** MERGE is SigOpt's merging update of training runs (the python client's `log_*` calls). */
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'MERGE';

/** Everything a route handler gets: the caller, path parameters, typed query and parsed body. */
export interface RouteContext {
  /** Present on every route whose `auth` is 'token'. */
  readonly principal: Principal;
  readonly params: Readonly<Record<string, string>>;
  readonly query: QueryParams;
  /** The JSON body object (POST/PUT/MERGE), `{}` when empty or for GET/DELETE. `fields` removed. */
  readonly body: Record<string, unknown>;
  readonly headers: IncomingHttpHeaders;
  readonly requestId: string;
  /** The body bytes as received (routes with `rawBody`; empty otherwise). */
  readonly rawBody: Uint8Array;
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
   * No API token: the route authenticates by other means (a run file's upload link). Its handler
   * must not read `principal`.
   */
  readonly public?: boolean;
  /** The body is bytes (an upload), not JSON: `body` is `{}` and `rawBody` holds it. */
  readonly rawBody?: boolean;
  /** Statement name for metrics and logs. */
  readonly name: string;
  handler(ctx: RouteContext): Promise<unknown>;
}
