/**
 * Errors the client throws. Every one carries `status` so callers can branch without parsing
 * messages: the HTTP status for server answers, 0 for "no answer" (network error, timeout, lost
 * answer). Kept free of node: imports so the client runs in browsers too.
 */

/** What was being asked when an error happened (for messages and logs). */
export interface RequestDescription {
  readonly method: string;
  readonly path: string;
}

/** Base class of every error the client throws (except an AbortSignal's own reason). */
export class SextantError extends Error {
  override readonly name: string = 'SextantError';
  constructor(
    message: string,
    /** HTTP status of the server's answer; 0 when there was no usable answer. */
    readonly status: number,
    /** The request this error belongs to. */
    readonly request: RequestDescription,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The server answered with a non-2xx status. `message` is the server's own message (SigOpt error
 * shape `{message, status}`, docs/api-compatibility.md#errors-and-status-codes); `body` is the parsed answer for anything else it carried.
 */
export class SextantApiError extends SextantError {
  override readonly name: string = 'SextantApiError';
  constructor(
    status: number,
    message: string,
    request: RequestDescription,
    /** The parsed error body (or its text when it was not JSON). */
    readonly body: unknown,
    /** Seconds the server asked to wait (Retry-After), when it said so. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message, status, request);
  }
}

/** No answer: connection refused or reset, DNS failure, a proxy that hung up. */
export class SextantNetworkError extends SextantError {
  override readonly name: string = 'SextantNetworkError';
  constructor(message: string, request: RequestDescription, cause: unknown) {
    super(message, 0, request, { cause });
  }
}

/** An attempt outlived its per-call timeout (`timeoutMs`). */
export class SextantTimeoutError extends SextantError {
  override readonly name: string = 'SextantTimeoutError';
  constructor(
    readonly timeoutMs: number,
    request: RequestDescription,
  ) {
    super(`${request.method} ${request.path} timed out after ${timeoutMs} ms`, 0, request);
  }
}

/**
 * A write whose answer was lost (network error or timeout) and whose outcome could not be
 * established: the client neither knows it was stored nor dares to send it again, because a
 * duplicate observation is worse than a missing one. Only observation writes raise it.
 */
export class SextantLostAnswerError extends SextantError {
  override readonly name: string = 'SextantLostAnswerError';
  constructor(message: string, request: RequestDescription, cause: unknown) {
    super(message, 0, request, { cause });
  }
}
