import type { components } from "../api/schema";
import { decodeClaims, type TokenClaims } from "./claims";

type TokenRead = components["schemas"]["identity__TokenRead"];

/** Where the rotating refresh token is kept: sessionStorage (ADR 0007 says why). */
export const REFRESH_TOKEN_KEY = "yiwang.refresh_token";
const CHANNEL = "yiwang.auth";

export interface SessionSnapshot {
  accessToken: string | null;
  claims: TokenClaims | null;
}

/** The outcome of exchanging the refresh token. */
export type RefreshOutcome =
  /** A new access and refresh token are in place. */
  | "refreshed"
  /** The refresh token was refused (expired, reused, logged out): the session is over. */
  | "rejected"
  /** Identity could not be reached or failed; the session is kept, the caller may try again later. */
  | "unavailable";

/** Exchanges a refresh token at identity-svc; `null` body on a refusal, throws on a network error. */
export type RefreshCall = (refreshToken: string) => Promise<
  { ok: true; tokens: TokenRead } | { ok: false; status: number }
>;

/**
 * The login session of this browser tab.
 *
 * The access token lives only in this object's memory (gone on reload, never readable by other
 * origins' scripts through storage); the refresh token lives in sessionStorage so a reload of the
 * tab can get a new access token. Refreshes are single-flight: identity-svc rotates the refresh
 * token on every use and treats a second use of an old one as theft (it ends the whole family),
 * so two concurrent 401s must share one refresh.
 */
export class Session {
  private snapshot: SessionSnapshot = { accessToken: null, claims: null };
  private readonly listeners = new Set<() => void>();
  private inflight: Promise<RefreshOutcome> | null = null;
  private readonly channel: BroadcastChannel | null;

  constructor(
    private readonly storage: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null,
    private readonly refreshCall: RefreshCall,
    channelFactory: ((name: string) => BroadcastChannel | null) | null = defaultChannel,
  ) {
    this.channel = channelFactory ? channelFactory(CHANNEL) : null;
    if (this.channel) {
      this.channel.onmessage = (event: MessageEvent) => {
        // Another tab of this browser ended the session: end it here too (without echoing).
        if (event.data === "logout") this.clear(false);
      };
    }
  }

  /** For React's useSyncExternalStore. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  get accessToken(): string | null {
    return this.snapshot.accessToken;
  }

  get claims(): TokenClaims | null {
    return this.snapshot.claims;
  }

  get refreshToken(): string | null {
    return this.storage?.getItem(REFRESH_TOKEN_KEY) ?? null;
  }

  /** True when there is a refresh token but no access token yet (a reloaded tab). */
  get canRestore(): boolean {
    return this.snapshot.accessToken === null && this.refreshToken !== null;
  }

  /** Take the tokens of a login or refresh answer. */
  setTokens(tokens: TokenRead): void {
    const claims = decodeClaims(tokens.access_token);
    if (tokens.refresh_token) this.storage?.setItem(REFRESH_TOKEN_KEY, tokens.refresh_token);
    this.snapshot = { accessToken: tokens.access_token, claims };
    this.emit();
  }

  /** Forget both tokens; `broadcast` tells this browser's other tabs to do the same. */
  clear(broadcast = true): void {
    this.storage?.removeItem(REFRESH_TOKEN_KEY);
    const had = this.snapshot.accessToken !== null;
    this.snapshot = { accessToken: null, claims: null };
    if (broadcast) this.channel?.postMessage("logout");
    if (had || broadcast) this.emit();
  }

  /** Exchange the refresh token once, however many callers ask at the same time. */
  refresh(): Promise<RefreshOutcome> {
    if (this.inflight) return this.inflight;
    const token = this.refreshToken;
    if (!token) return Promise.resolve("rejected");
    this.inflight = (async (): Promise<RefreshOutcome> => {
      try {
        const answer = await this.refreshCall(token);
        if (answer.ok) {
          this.setTokens(answer.tokens);
          return "refreshed";
        }
        // 4xx: the token is spent, expired or revoked; 5xx and 429: identity is unwell, not the session.
        if (answer.status >= 400 && answer.status < 500 && answer.status !== 429) return "rejected";
        return "unavailable";
      } catch {
        return "unavailable";
      } finally {
        this.inflight = null;
      }
    })();
    return this.inflight;
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

function defaultChannel(name: string): BroadcastChannel | null {
  return typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel(name);
}
