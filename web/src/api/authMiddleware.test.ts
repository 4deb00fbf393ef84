import { describe, expect, it, vi } from "vitest";
import { createApi } from "./client";
import { REFRESH_TOKEN_KEY } from "../auth/session";

const BASE = "http://gateway.test";

function jwt(claims: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${enc({ alg: "RS256" })}.${enc({ exp: 9999999999, kind: "person", roles: [], ...claims })}.sig`;
}

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
    data,
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": status >= 400 ? "application/problem+json" : "application/json", ...headers },
  });

const problem401 = { type: "about:blank", title: "未认证", status: 401, detail: "请重新登录。", code: "auth.invalid_token" };

/** A fake gateway: `/auth/refresh` per `refresh`, everything else per `answer(token)`. */
function gateway(opts: {
  valid: Set<string>;
  refresh: (token: string) => Response | Promise<Response>;
}) {
  const calls: { url: string; auth: string | null; body: string; lang: string | null }[] = [];
  const fetch = vi.fn(async (request: Request) => {
    const body = await request.text();
    calls.push({ url: request.url, auth: request.headers.get("Authorization"), body, lang: request.headers.get("Accept-Language") });
    if (request.url.endsWith("/api/identity/v1/auth/refresh")) {
      return opts.refresh(JSON.parse(body).refresh_token);
    }
    const token = request.headers.get("Authorization")?.replace("Bearer ", "") ?? "";
    return opts.valid.has(token) ? json(200, { items: [], total: 0, limit: 50, offset: 0 }) : json(401, problem401);
  });
  return { fetch, calls };
}

function setup(refresh: (token: string) => Response | Promise<Response>, valid: string[], start: { access?: string; refresh?: string }) {
  const storage = memoryStorage(start.refresh ? { [REFRESH_TOKEN_KEY]: start.refresh } : {});
  const gw = gateway({ valid: new Set(valid), refresh });
  const ended = vi.fn();
  const client = createApi({ baseUrl: BASE, fetch: gw.fetch, storage, onSessionEnded: ended, channel: null, language: () => "zh-CN" });
  if (start.access) client.session.setTokens({ access_token: start.access, expires_in: 900, token_type: "Bearer" });
  return { ...client, storage, gw, ended };
}

describe("auth middleware", () => {
  const A1 = jwt({ sub: "u1", jti: "1" });
  const A2 = jwt({ sub: "u1", jti: "2" });

  it("adds the bearer token and the language", async () => {
    const t = setup(() => json(500, {}), [A1], { access: A1, refresh: "r1" });
    const { response } = await t.api.GET("/api/intake/v1/applications");
    expect(response.status).toBe(200);
    expect(t.gw.calls[0]?.auth).toBe(`Bearer ${A1}`);
    expect(t.gw.calls[0]?.lang).toBe("zh-CN");
  });

  it("on a 401 refreshes once with the rotating token, keeps the new one and retries with the body", async () => {
    const t = setup(
      (token) => (token === "r1" ? json(200, { access_token: A2, expires_in: 900, refresh_token: "r2" }) : json(401, problem401)),
      [A2],
      { access: A1, refresh: "r1" },
    );
    const { data, response } = await t.api.POST("/api/evaluation/v1/guide-views", { body: { item_code: "X1" } });
    expect(response.status).toBe(200);
    expect(data).toBeTruthy();
    const urls = t.gw.calls.map((c) => c.url.replace(BASE, ""));
    expect(urls).toEqual(["/api/evaluation/v1/guide-views", "/api/identity/v1/auth/refresh", "/api/evaluation/v1/guide-views"]);
    expect(t.gw.calls[2]?.auth).toBe(`Bearer ${A2}`);
    expect(t.gw.calls[2]?.body).toBe(JSON.stringify({ item_code: "X1" }));
    expect(t.session.accessToken).toBe(A2);
    expect(t.storage.data.get(REFRESH_TOKEN_KEY)).toBe("r2");
    expect(t.ended).not.toHaveBeenCalled();
  });

  it("shares one refresh between requests that fail together (a rotated token is never sent twice)", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const t = setup(
      async (token) => {
        await gate;
        return token === "r1" ? json(200, { access_token: A2, expires_in: 900, refresh_token: "r2" }) : json(401, problem401);
      },
      [A2],
      { access: A1, refresh: "r1" },
    );
    const all = Promise.all([
      t.api.GET("/api/intake/v1/applications"),
      t.api.GET("/api/evaluation/v1/ratings/mine"),
      t.api.GET("/api/identity/v1/me"),
    ]);
    setTimeout(release, 10);
    const results = await all;
    expect(results.map((r) => r.response.status)).toEqual([200, 200, 200]);
    expect(t.gw.calls.filter((c) => c.url.endsWith("/auth/refresh"))).toHaveLength(1);
    expect(t.ended).not.toHaveBeenCalled();
  });

  it("retries without refreshing when another request already refreshed", async () => {
    const t = setup(() => json(500, {}), [A2], { access: A1, refresh: "r1" });
    // The request leaves with A1; before its 401 arrives the session already holds A2.
    const original = t.gw.fetch.getMockImplementation()!;
    t.gw.fetch.mockImplementationOnce(async (req: Request) => {
      const res = await original(req);
      t.session.setTokens({ access_token: A2, expires_in: 900, refresh_token: "r2", token_type: "Bearer" });
      return res;
    });
    const { response } = await t.api.GET("/api/intake/v1/applications");
    expect(response.status).toBe(200);
    expect(t.gw.calls.filter((c) => c.url.endsWith("/auth/refresh"))).toHaveLength(0);
  });

  it("ends the session everywhere when the refresh token is refused", async () => {
    const t = setup(() => json(401, problem401), [], { access: A1, refresh: "r1" });
    const { response, error } = await t.api.GET("/api/intake/v1/applications");
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ code: "auth.invalid_token" });
    expect(t.ended).toHaveBeenCalledTimes(1);
    expect(t.session.accessToken).toBeNull();
    expect(t.storage.data.has(REFRESH_TOKEN_KEY)).toBe(false);
  });

  it("ends the session when the retried request is refused again", async () => {
    const t = setup(() => json(200, { access_token: A2, expires_in: 900, refresh_token: "r2" }), [], { access: A1, refresh: "r1" });
    const { response } = await t.api.GET("/api/intake/v1/applications");
    expect(response.status).toBe(401);
    expect(t.gw.calls).toHaveLength(3);
    expect(t.ended).toHaveBeenCalledTimes(1);
  });

  it("keeps the session when identity is unavailable (a 503 is not a logout)", async () => {
    const t = setup(() => json(503, { ...problem401, status: 503, code: "gateway.unavailable" }), [], { access: A1, refresh: "r1" });
    const { response } = await t.api.GET("/api/intake/v1/applications");
    expect(response.status).toBe(401);
    expect(t.ended).not.toHaveBeenCalled();
    expect(t.storage.data.get(REFRESH_TOKEN_KEY)).toBe("r1");
  });

  it("restores a reloaded tab: no access token in memory, the refresh token from sessionStorage", async () => {
    const t = setup((token) => (token === "r1" ? json(200, { access_token: A2, expires_in: 900, refresh_token: "r2" }) : json(401, problem401)), [A2], {
      refresh: "r1",
    });
    expect(t.session.canRestore).toBe(true);
    const { response } = await t.api.GET("/api/intake/v1/applications");
    expect(response.status).toBe(200);
    expect(t.gw.calls[0]?.auth).toBeNull();
    expect(t.session.claims?.sub).toBe("u1");
  });

  it("does not refresh after a wrong password (401 on login) or when never logged in", async () => {
    const t = setup(() => json(200, {}), [], {});
    const login = await t.api.POST("/api/identity/v1/auth/login", { body: { username: "13810000003", password: "x" } });
    expect(login.response.status).toBe(401);
    const list = await t.api.GET("/api/intake/v1/applications");
    expect(list.response.status).toBe(401);
    expect(t.gw.calls.filter((c) => c.url.endsWith("/auth/refresh"))).toHaveLength(0);
    expect(t.ended).not.toHaveBeenCalled();
  });
});
