/**
 * The signed-in token lives in sessionStorage: it is kept for this tab only (a new tab or a closed
 * browser asks again) and never written to localStorage or a cookie. Logout removes it.
 */
const KEY = 'sextant.token';

export function loadToken(): string | null {
  try {
    return window.sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  window.sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  window.sessionStorage.removeItem(KEY);
}
