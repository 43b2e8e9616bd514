import type { ReactNode } from 'react';
import { ApiError } from '../api.ts';

/** A unix time (seconds) as a local date and time. */
export function formatTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  return new Date(seconds * 1000).toLocaleString();
}

/** A metric value with enough digits to tell neighbours apart. */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString();
}

/**
 * An error state that says what to do: a server that is down, a token that no longer works (sign
 * in again), an object this token cannot see, or the API's own message.
 */
export function ErrorNote(props: { readonly error: unknown; readonly onSignOut?: () => void }): ReactNode {
  const err = props.error;
  let text: string;
  let signInAgain = false;
  if (err instanceof ApiError && err.status === 0) text = 'The Sextant server cannot be reached. Check that it is running, then reload.';
  else if (err instanceof ApiError && (err.status === 401 || (err.status === 403 && /token/i.test(err.message)))) {
    text = `This token no longer works: ${err.message}`;
    signInAgain = true;
  } else if (err instanceof ApiError && err.status === 404) text = 'Not found: it does not exist, or this token may not see it.';
  else text = err instanceof Error ? err.message : String(err);
  return (
    <div role="alert" className="error">
      <p>{text}</p>
      {signInAgain && props.onSignOut && (
        <button type="button" onClick={props.onSignOut}>
          Sign in again
        </button>
      )}
    </div>
  );
}
