import { type ReactNode, useCallback, useMemo, useState } from 'react';
import { type Api, createApi } from './api.ts';
import { Link, navigate, useLocation } from './router.ts';
import { forgetToken, loadToken, saveToken } from './session.ts';
import { ComparePage } from './views/compare-page.tsx';
import { ExperimentList } from './views/experiment-list.tsx';
import { ExperimentPage } from './views/experiment-page.tsx';
import { OperationsPage } from './views/operations-page.tsx';
import { SignIn } from './views/sign-in.tsx';

/** The dashboard shell: sign-in gate, navigation and the page for the current URL. */
export function App(): ReactNode {
  const [token, setToken] = useState<string | null>(loadToken);
  const api = useMemo<Api | null>(() => (token ? createApi(token) : null), [token]);
  const { path, search } = useLocation();
  const signOut = useCallback(() => {
    forgetToken();
    setToken(null);
    navigate('/', true);
  }, []);

  if (!api) {
    return (
      <SignIn
        onSignedIn={(t) => {
          saveToken(t);
          setToken(t);
        }}
      />
    );
  }
  const experiment = /^\/experiments\/(\d+)$/.exec(path);
  let page: ReactNode;
  if (experiment) page = <ExperimentPage key={experiment[1]} api={api} id={experiment[1]!} onSignOut={signOut} />;
  else if (path === '/compare') page = <ComparePage api={api} search={search} />;
  else if (path === '/operations') page = <OperationsPage api={api} />;
  else page = <ExperimentList api={api} search={search} onSignOut={signOut} />;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Sextant
        </Link>
        <nav aria-label="Main">
          <Link to="/experiments">Experiments</Link>
          <Link to="/compare">Compare</Link>
          <Link to="/operations">Operations</Link>
        </nav>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main">{page}</main>
    </>
  );
}
