// The key lives in sessionStorage: gone when the tab closes, never in a URL or a cookie.
const STORAGE_KEY = 'countersign.reviewerKey';

/** The reviewer key of this browser tab, if signed in. */
export function loadSessionKey(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the key for this tab. */
export function saveSessionKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

/** Forgets the key. */
export function clearSessionKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
