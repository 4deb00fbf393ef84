import createClient from "openapi-fetch";
import type { paths } from "./schema";
import { Session } from "../auth/session";
import { createAuthMiddleware } from "./authMiddleware";

/**
 * The one API client. Base URL "/": the gateway serves the app and `/api/<service>/...` from one
 * origin (in development Vite's proxy forwards `/api`), so no CORS and no absolute URLs.
 */
export function createApi(options: {
  baseUrl: string;
  fetch: (request: Request) => Promise<Response>;
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null;
  language?: () => string;
  onSessionEnded?: () => void;
  channel?: ((name: string) => BroadcastChannel | null) | null;
}) {
  // The refresh and logout calls go through a client without the auth middleware (no recursion).
  const plain = createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
  const session = new Session(
    options.storage,
    async (refreshToken) => {
      const { data, response } = await plain.POST("/api/identity/v1/auth/refresh", {
        body: { refresh_token: refreshToken },
      });
      return data ? { ok: true, tokens: data } : { ok: false, status: response.status };
    },
    options.channel === undefined ? undefined : options.channel,
  );
  const api = createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
  const endSession = () => {
    session.clear(true);
    options.onSessionEnded?.();
  };
  api.use(
    createAuthMiddleware({
      session,
      fetch: options.fetch,
      onSessionEnded: endSession,
      ...(options.language ? { language: options.language } : {}),
    }),
  );
  return { api, plain, session, endSession };
}
