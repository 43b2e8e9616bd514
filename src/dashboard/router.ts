import { createElement, type MouseEvent, type ReactNode, useSyncExternalStore } from 'react';

/**
 * A minimal History-API router: the dashboard has five page shapes, so a 40-line router beats a
 * routing library in the bundle. URLs are real paths (`/experiments/12`), shareable, and the back
 * button works because every navigation is a pushState entry.
 */
const NAVIGATE = 'sextant:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE, onChange);
  };
}

/** The current path and query string; re-renders on navigation. */
export function useLocation(): { readonly path: string; readonly search: string } {
  const href = useSyncExternalStore(subscribe, () => window.location.pathname + window.location.search);
  const url = new URL(href, window.location.origin);
  return { path: url.pathname.replace(/\/+$/, '') || '/', search: url.search };
}

/** Goes to a dashboard path (a new history entry unless `replace`). */
export function navigate(to: string, replace = false): void {
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE));
}

/** A link that navigates in place (modifier clicks keep the browser's own behaviour). */
export function Link(props: { readonly to: string; readonly children: ReactNode; readonly className?: string }): ReactNode {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.to);
  };
  return createElement('a', { href: props.to, onClick, className: props.className }, props.children);
}
