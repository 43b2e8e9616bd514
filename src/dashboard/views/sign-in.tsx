import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError, createApi } from '../api.ts';
import type { Token } from '../types.ts';

/**
 * Sign-in with an API token. The token is checked with `GET /v1/tokens/self` (the call every
 * SigOpt client makes first) before it is kept, so a wrong or revoked token is told at once.
 */
export function SignIn(props: { readonly onSignedIn: (token: string) => void }): ReactNode {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const token = value.trim();
    if (token === '') return;
    setBusy(true);
    setError(null);
    try {
      await createApi(token).get<Token>('/v1/tokens/self');
      props.onSignedIn(token);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="signin">
      <h1>Sextant</h1>
      <p>Paste an API token to see the experiments it may see. The token is kept for this tab only.</p>
      <form onSubmit={submit}>
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          autoFocus
        />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p className="hint">
        The first start of <code>sextant serve</code> saved a token to <code>sextant-data/api-token</code>.
      </p>
    </main>
  );
}
