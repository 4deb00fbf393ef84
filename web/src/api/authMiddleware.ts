import type { Middleware } from "openapi-fetch";
import type { Session } from "../auth/session";

/** Paths whose 401 means "wrong credentials", never "refresh and retry". */
const AUTH_PATHS = ["/api/identity/v1/auth/login", "/api/identity/v1/auth/refresh", "/api/identity/v1/auth/logout"];

export interface AuthMiddlewareOptions {
  session: Session;
  /** The fetch that sends the one retry (the client's own fetch). */
  fetch: (request: Request) => Promise<Response>;
  /** Called when a 401 could not be cured by a refresh: end the session everywhere. */
  onSessionEnded: () => void;
  /** The UI language for problem texts (`Accept-Language`). */
  language?: () => string;
}

/**
 * Adds the bearer token (and the UI language) to every request; on a 401 exchanges the rotating
 * refresh token once (shared by every request that failed at the same time) and retries the
 * request once with the new token. A 401 that survives this ends the session in every tab.
 */
export function createAuthMiddleware(options: AuthMiddlewareOptions): Middleware {
  const { session } = options;
  // A copy of each request as it was sent, so the retry can send its body again.
  const sent = new Map<string, { copy: Request; token: string | null }>();

  return {
    onRequest({ request, id, schemaPath }) {
      const language = options.language?.();
      if (language && !request.headers.has("Accept-Language")) request.headers.set("Accept-Language", language);
      const token = session.accessToken;
      if (token && !request.headers.has("Authorization")) request.headers.set("Authorization", `Bearer ${token}`);
      if (!AUTH_PATHS.includes(schemaPath)) sent.set(id, { copy: request.clone(), token });
      return request;
    },

    async onResponse({ response, id }) {
      const entry = sent.get(id);
      sent.delete(id);
      if (response.status !== 401 || !entry) return response;
      if (session.refreshToken === null && session.accessToken === null) {
        // Never logged in: a 401 means "log in", there is nothing to refresh or end.
        return response;
      }
      // Someone else already refreshed since this request left: just retry with the new token.
      const alreadyFresh = session.accessToken !== null && session.accessToken !== entry.token;
      if (!alreadyFresh) {
        const outcome = await session.refresh();
        if (outcome === "unavailable") return response;
        if (outcome === "rejected") {
          options.onSessionEnded();
          return response;
        }
      }
      const retry = new Request(entry.copy, { headers: new Headers(entry.copy.headers) });
      retry.headers.set("Authorization", `Bearer ${session.accessToken ?? ""}`);
      const second = await options.fetch(retry);
      if (second.status === 401) options.onSessionEnded();
      return second;
    },

    onError({ id }) {
      sent.delete(id);
    },
  };
}
