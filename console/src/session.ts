// Where the console keeps its tokens, and how it renews them.
//
// The token pair lives in localStorage under one key: only pages of PyTake's own origin can
// read it (the Content-Security-Policy allows no other script), it survives reloads and is
// shared by the tabs of one browser. Refresh tokens rotate and PyTake revokes the whole family
// when one is used twice, so tabs renew one at a time under a Web Lock and adopt a pair another
// tab already renewed instead of spending the old refresh token again.

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: string;
}

export type RefreshOutcome = { tokens: Tokens } | { refused: string };

const STORAGE_KEY = "pytake.session";
const RENEW_LOCK = "pytake.session.renew";
/** Renew this long before the access token expires, so no request races its expiry. */
const RENEW_MARGIN_MS = 30_000;

export function storedTokens(storage: Storage = localStorage): Tokens | null {
  const raw = storage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<Tokens>;
    if (parsed.accessToken && parsed.refreshToken && parsed.accessTokenExpiresAt) {
      return parsed as Tokens;
    }
  } catch {
    // A value this console did not write: treated as signed out.
  }
  return null;
}

export function storeTokens(tokens: Tokens | null, storage: Storage = localStorage): void {
  if (tokens) storage.setItem(STORAGE_KEY, JSON.stringify(tokens));
  else storage.removeItem(STORAGE_KEY);
}

export function needsRenewal(tokens: Tokens, now: number = Date.now()): boolean {
  return Date.parse(tokens.accessTokenExpiresAt) - RENEW_MARGIN_MS <= now;
}

type Listener = (tokens: Tokens | null) => void;

export class Session {
  private tokens: Tokens | null;
  private renewing: Promise<Tokens | null> | null = null;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly refresh: (refreshToken: string) => Promise<RefreshOutcome>,
    private readonly storage: Storage = localStorage,
  ) {
    this.tokens = storedTokens(storage);
    // Another tab (or the GraphiQL page) signed in, renewed or signed out: follow it.
    if (typeof window !== "undefined" && storage === window.localStorage) {
      window.addEventListener("storage", (event) => {
        if (event.key === STORAGE_KEY || event.key === null) this.adopt(storedTokens(storage));
      });
    }
  }

  get current(): Tokens | null {
    return this.tokens;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  signedIn(tokens: Tokens): void {
    this.set(tokens);
  }

  signedOut(): void {
    this.set(null);
  }

  /** A usable access token: the current one, or a renewed one when it is about to expire. */
  async accessToken(): Promise<string | null> {
    const tokens = this.tokens;
    if (!tokens) return null;
    if (!needsRenewal(tokens)) return tokens.accessToken;
    return (await this.renew())?.accessToken ?? null;
  }

  /** Renews once however many callers ask at the same time; null means signed out. */
  renew(): Promise<Tokens | null> {
    if (!this.renewing) {
      const spent = this.tokens;
      this.renewing = withLock(() => this.renewAfter(spent)).finally(() => {
        this.renewing = null;
      });
    }
    return this.renewing;
  }

  private async renewAfter(spent: Tokens | null): Promise<Tokens | null> {
    const stored = storedTokens(this.storage);
    if (stored && stored.refreshToken !== spent?.refreshToken && !needsRenewal(stored)) {
      this.set(stored);
      return stored;
    }
    const refreshToken = stored?.refreshToken ?? spent?.refreshToken;
    if (!refreshToken) {
      this.set(null);
      return null;
    }
    const outcome = await this.refresh(refreshToken);
    this.set("tokens" in outcome ? outcome.tokens : null);
    return this.tokens;
  }

  private set(tokens: Tokens | null): void {
    storeTokens(tokens, this.storage);
    this.adopt(tokens);
  }

  private adopt(tokens: Tokens | null): void {
    this.tokens = tokens;
    for (const listener of this.listeners) listener(tokens);
  }
}

async function withLock<T>(work: () => Promise<T>): Promise<T> {
  if (typeof navigator !== "undefined" && navigator.locks) {
    return navigator.locks.request(RENEW_LOCK, work);
  }
  return work();
}
