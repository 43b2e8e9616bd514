/**
 * The one error catalog of the API. Every failure a client can see is an {@link ApiError}: an HTTP
 * status plus a SigOpt-shaped message (spec §1.6). Domain code throws these; the HTTP layer renders
 * them as `{"message", "status", ...}`. Anything else that escapes is a real server fault (500).
 */
export type TokenStatus = 'revoked' | 'expired' | 'invalid_permissions' | 'needs_email_verification';

export class ApiError extends Error {
  readonly status: number;
  readonly tokenStatus: TokenStatus | undefined;
  /** Extra response headers (e.g. Retry-After, Allow). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, opts: { tokenStatus?: TokenStatus; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.tokenStatus = opts.tokenStatus;
    this.headers = Object.freeze({ ...(opts.headers ?? {}) });
  }

  /** The JSON body sent to the client. */
  toJSON(): Record<string, unknown> {
    const body: Record<string, unknown> = { message: this.message, status: this.status };
    if (this.tokenStatus) body.token_status = this.tokenStatus;
    return body;
  }
}

/** 400: every validation failure (schema, semantics, limits, bad query values). */
export const badRequest = (message: string): ApiError => new ApiError(400, message);

/** 404 with the generic text: never reveals whether the object exists (spec §1.3). */
export const notFound = (): ApiError => new ApiError(404, 'The requested resource could not be found');

/** 403 for a caller that may read but not write (spec §1.3). */
export const forbiddenWrite = (): ApiError =>
  new ApiError(
    403,
    "You don't have permission to do this action. You may need to contact your team's administrator to request permissions.",
    { tokenStatus: 'invalid_permissions' },
  );

/** 403 with a free message (token kind / scope restrictions). */
export const forbidden = (message: string, tokenStatus?: TokenStatus): ApiError =>
  new ApiError(403, message, tokenStatus ? { tokenStatus } : {});

/** 409: duplicate project id. */
export const conflict = (message: string): ApiError => new ApiError(409, message);

/** 422: metric importances not available. */
export const unprocessable = (message: string): ApiError => new ApiError(422, message);

/** 429 with Retry-After (whole seconds): a limit other than the per-token request rate (e.g. login attempts). */
export const tooManyRequests = (message: string, retryAfterSeconds: number): ApiError =>
  new ApiError(429, message, { headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) } });

/** 503 while a dependency (database) is unreachable: clients should retry with backoff. */
export const unavailable = (message = 'The service is temporarily unavailable. Please retry shortly.'): ApiError =>
  new ApiError(503, message);

/** Renders a JSON value the way the original embeds request fragments in messages ("… in: {…}"). */
export function jsonDump(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return String(value);
  }
}
