import type { components } from "../api/schema";
import { actingFor, decodeClaims, type TokenClaims } from "./claims";

type TokenRead = components["schemas"]["identity__TokenRead"];
type ActForTokenRead = components["schemas"]["identity__ActForTokenRead"];

/** Where the rotating refresh token is kept: sessionStorage (ADR 0007 says why). */
export const REFRESH_TOKEN_KEY = "yiwang.refresh_token";
const CHANNEL = "yiwang.auth";
/** For whom this tab acts (代表法人办事), kept beside the refresh token so a reload keeps acting. */
export const ACTING_KEY = "yiwang.acting";

/** The enterprise this tab acts for: what to ask identity for again, and its name for the header. */
export interface Acting {
  enterpriseId: string;
  /** The grant acted under; "" for the legal representative. */
  grantId: string;
  name: string;
}

export interface SessionSnapshot {
  /** The token requests carry: the act-for token while acting, else the person's own. */
  accessToken: string | null;
  /** Its claims (`act` set while acting). */
  claims: TokenClaims | null;
  /** Set while this tab acts for an enterprise. */
  acting: Acting | null;
  /** Set when acting ended without being asked to (the grant was revoked or expired). */
  actingEnded: Acting | null;
}

/** Asks identity for an act-for token with the person's own access token (`POST /auth/act-for`). */
export type ActForCall = (
  acting: Acting,
  ownAccessToken: string,
) => Promise<{ ok: true; token: ActForTokenRead } | { ok: false; status: number }>;

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
  private snapshot: SessionSnapshot = { accessToken: null, claims: null, acting: null, actingEnded: null };
  /** The person's own access token (the same as snapshot.accessToken unless acting). */
  private ownToken: string | null = null;
  /** How to get an act-for token again after a refresh or reload (set by the app, see layout/acting.ts). */
  actForCall: ActForCall | null = null;
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

  /** The person's own access token, also while acting (what `act-for` is asked with). */
  get ownAccessToken(): string | null {
    return this.ownToken;
  }

  /** Take the tokens of a login (a new login acts as the person: any acting ends). */
  setTokens(tokens: TokenRead): void {
    this.storage?.removeItem(ACTING_KEY);
    this.takeOwn(tokens);
    this.snapshot = { ...this.ownSnapshot(), actingEnded: null };
    this.emit();
  }

  /** Act for an enterprise with the act-for token identity answered (`POST /auth/act-for`). */
  startActing(token: ActForTokenRead, name: string): void {
    const claims = decodeClaims(token.access_token);
    const act = actingFor(claims);
    if (!act || this.ownToken === null) throw new Error("not an act-for token, or not logged in");
    const acting: Acting = { enterpriseId: act.entity_id, grantId: act.grant_id, name };
    this.storage?.setItem(ACTING_KEY, JSON.stringify(acting));
    this.snapshot = { accessToken: token.access_token, claims, acting, actingEnded: null };
    this.emit();
  }

  /** Act as oneself again; `ended` when it was not asked for (the grant no longer holds). */
  stopActing(ended = false): void {
    const was = this.snapshot.acting ?? this.storedActing();
    this.storage?.removeItem(ACTING_KEY);
    if (this.ownToken === null) return;
    this.snapshot = { ...this.ownSnapshot(), actingEnded: ended ? was : null };
    this.emit();
  }

  /** The notice that acting ended was read. */
  dismissActingEnded(): void {
    if (this.snapshot.actingEnded === null) return;
    this.snapshot = { ...this.snapshot, actingEnded: null };
    this.emit();
  }

  /** Forget both tokens; `broadcast` tells this browser's other tabs to do the same. */
  clear(broadcast = true): void {
    this.storage?.removeItem(REFRESH_TOKEN_KEY);
    this.storage?.removeItem(ACTING_KEY);
    const had = this.snapshot.accessToken !== null;
    this.ownToken = null;
    this.snapshot = { accessToken: null, claims: null, acting: null, actingEnded: null };
    if (broadcast) this.channel?.postMessage("logout");
    if (had || broadcast) this.emit();
  }

  private takeOwn(tokens: TokenRead): void {
    if (tokens.refresh_token) this.storage?.setItem(REFRESH_TOKEN_KEY, tokens.refresh_token);
    this.ownToken = tokens.access_token;
  }

  private ownSnapshot(): Pick<SessionSnapshot, "accessToken" | "claims" | "acting"> {
    return { accessToken: this.ownToken, claims: this.ownToken ? decodeClaims(this.ownToken) : null, acting: null };
  }

  private storedActing(): Acting | null {
    try {
      const raw = this.storage?.getItem(ACTING_KEY);
      if (!raw) return null;
      const value: unknown = JSON.parse(raw);
      if (typeof value !== "object" || value === null) return null;
      const { enterpriseId, grantId, name } = value as Record<string, unknown>;
      if (typeof enterpriseId !== "string" || typeof grantId !== "string" || typeof name !== "string") return null;
      return { enterpriseId, grantId, name };
    } catch {
      return null;
    }
  }

  /**
   * After a refresh (a reload, or an expired token): the person's new token, and — when the tab was
   * acting — a new act-for token for the same enterprise and grant. When identity refuses it (grant
   * revoked or expired, enterprise no longer verified) or cannot be asked, the tab acts as the
   * person again and says so; it never goes on acting with a stale grant.
   */
  private async afterRefresh(tokens: TokenRead): Promise<void> {
    this.takeOwn(tokens);
    const acting = this.snapshot.acting ?? this.storedActing();
    if (acting && this.actForCall && this.ownToken) {
      let answer: Awaited<ReturnType<ActForCall>> | null = null;
      try {
        answer = await this.actForCall(acting, this.ownToken);
      } catch {
        answer = null;
      }
      if (answer?.ok) {
        this.snapshot = { accessToken: answer.token.access_token, claims: decodeClaims(answer.token.access_token), acting, actingEnded: null };
        this.emit();
        return;
      }
      this.storage?.removeItem(ACTING_KEY);
      this.snapshot = { ...this.ownSnapshot(), actingEnded: acting };
      this.emit();
      return;
    }
    this.storage?.removeItem(ACTING_KEY);
    this.snapshot = { ...this.ownSnapshot(), actingEnded: this.snapshot.actingEnded };
    this.emit();
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
          await this.afterRefresh(answer.tokens);
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
