import { ERROR_CATALOG, type ErrorCode } from './error-catalog.ts';

/** SigOpt's `token_status` values. */
export type TokenStatus = 'revoked' | 'expired' | 'invalid_permissions' | 'needs_email_verification';

/** The `{name}` placeholders of a message template. */
type Placeholders<T extends string> = T extends `${string}{${infer K}}${infer Rest}` ? K | Placeholders<Rest> : never;

/** The parameters `apiError(code, …)` needs: one value per placeholder of the code's message. */
export type ErrorParams<C extends ErrorCode> = { readonly [K in Placeholders<(typeof ERROR_CATALOG)[C]['message']>]: ParamValue };

/** A placeholder's value, rendered as a template literal would (`null` → "null"). */
export type ParamValue = string | number | boolean | null | undefined;

/**
 * Every failure a client can see (docs/api-compatibility.md#errors-and-status-codes): a catalog entry (src/domain/error-catalog.ts) with its message
 * filled in. Domain code throws these; the HTTP layer renders them as SigOpt's `{"message",
 * "status"}` body (plus `token_status`) and names the code in the `X-Sextant-Error-Code` header.
 * Anything else that escapes is a real server fault (500). Build one with {@link apiError}.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly tokenStatus: TokenStatus | undefined;
  /** Extra response headers (e.g. Retry-After, Allow, Location). */
  readonly headers: Readonly<Record<string, string>>;
  /** 301 only: the path the object moved to (also in the body and the Location header). */
  readonly location: string | undefined;

  private constructor(
    code: ErrorCode,
    status: number,
    message: string,
    tokenStatus: TokenStatus | undefined,
    headers: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.tokenStatus = tokenStatus;
    this.headers = Object.freeze({ ...headers });
    this.location = headers.location;
  }

  /** @internal The one constructor call: {@link apiError}. */
  static fromCatalog(code: ErrorCode, message: string, opts: ErrorOptions): ApiError {
    const entry: { status: number; tokenStatus?: TokenStatus } = ERROR_CATALOG[code];
    const headers = { ...(opts.headers ?? {}), ...(opts.location ? { location: opts.location } : {}) };
    return new ApiError(code, opts.status ?? entry.status, message, opts.tokenStatus ?? entry.tokenStatus, headers);
  }

  /** The same error about one item of a batch: `Error in observation 3/10: …`, same code and status. */
  withPrefix(prefix: string): ApiError {
    return new ApiError(this.code, this.status, `${prefix}${this.message}`, this.tokenStatus, { ...this.headers });
  }

  /** The JSON body sent to the client. */
  toJSON(): Record<string, unknown> {
    const body: Record<string, unknown> = { message: this.message, status: this.status };
    if (this.tokenStatus) body.token_status = this.tokenStatus;
    if (this.location) body.location = this.location;
    return body;
  }
}

/** What a call may add to its catalog entry. */
export interface ErrorOptions {
  /** Response headers (Retry-After, Allow, WWW-Authenticate). */
  readonly headers?: Record<string, string>;
  readonly tokenStatus?: TokenStatus;
  /** Only for MOVED_PERMANENTLY: where the object lives (body field and Location header). */
  readonly location?: string;
  /** Only for HTTP_CLIENT_ERROR: the framework's own 4xx status. */
  readonly status?: number;
}

/** Fills a message template's `{name}` placeholders. */
export function renderMessage(template: string, params: Readonly<Record<string, ParamValue>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The error of catalog entry `code`, its message filled from `params`. */
export function apiError<C extends ErrorCode>(
  code: C,
  ...args: keyof ErrorParams<C> extends never
    ? [params?: ErrorParams<C>, opts?: ErrorOptions]
    : [params: ErrorParams<C>, opts?: ErrorOptions]
): ApiError {
  const [params, opts] = args;
  return ApiError.fromCatalog(code, renderMessage(ERROR_CATALOG[code].message, params ?? {}), opts ?? {});
}

/** Renders a JSON value the way the original embeds request fragments in messages ("… in: {…}"). */
export function jsonDump(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return String(value);
  }
}
