import { describe, expect, it, vi } from "vitest";
import { ACTING_KEY, REFRESH_TOKEN_KEY, Session, type ActForCall } from "./session";
import { actCovers, actingFor, decodeClaims } from "./claims";

function jwt(claims: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${enc({ alg: "RS256" })}.${enc({ exp: 9999999999, kind: "person", roles: [], sub: "p2", ...claims })}.sig`;
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

const act = { entity_id: "e1", uscc: "91110105MA01C7Q83T", grant_id: "g1", scope: ["*"] };
const OWN = jwt({ jti: "own" });
const OWN2 = jwt({ jti: "own2" });
const ACT = jwt({ jti: "act", act });
const ACT2 = jwt({ jti: "act2", act });
const actForToken = (access_token: string) => ({ access_token, token_type: "Bearer" as const, expires_in: 900, act });

function session(refreshAnswer: () => Promise<{ ok: true; tokens: { access_token: string; refresh_token: string; expires_in: number; token_type: "Bearer" } }>, start: Record<string, string> = {}) {
  const storage = memoryStorage({ [REFRESH_TOKEN_KEY]: "r1", ...start });
  const s = new Session(storage, refreshAnswer, null);
  return { s, storage };
}

const refreshed = () => Promise.resolve({ ok: true as const, tokens: { access_token: OWN2, refresh_token: "r2", expires_in: 900, token_type: "Bearer" as const } });

describe("act-for claims", () => {
  it("reads for whom a token acts, and nothing from a person's own token", () => {
    expect(actingFor(decodeClaims(ACT))).toEqual(act);
    expect(actingFor(decodeClaims(OWN))).toBeNull();
    expect(actingFor(null)).toBeNull();
    const rep = decodeClaims(jwt({ act: { entity_id: "e1", uscc: "x", grant_id: "", scope: ["*"] } }));
    expect(actingFor(rep)?.grant_id).toBe("");
    expect(actingFor(decodeClaims(jwt({ act: { entity_id: "" } })))).toBeNull();
  });

  it("knows which items a scope covers", () => {
    expect(actCovers(act, "11010500100001")).toBe(true);
    expect(actCovers({ ...act, scope: ["A", "B"] }, "B")).toBe(true);
    expect(actCovers({ ...act, scope: ["A", "B"] }, "C")).toBe(false);
  });
});

describe("acting for an enterprise", () => {
  it("sends the act-for token while acting and the own token after going back", () => {
    const { s, storage } = session(refreshed);
    s.setTokens({ access_token: OWN, refresh_token: "r1", expires_in: 900, token_type: "Bearer" });
    s.startActing(actForToken(ACT), "示例科技");
    expect(s.accessToken).toBe(ACT);
    expect(s.ownAccessToken).toBe(OWN);
    expect(s.getSnapshot().acting).toEqual({ enterpriseId: "e1", grantId: "g1", name: "示例科技" });
    expect(actingFor(s.claims)?.entity_id).toBe("e1");
    expect(JSON.parse(storage.data.get(ACTING_KEY)!)).toEqual({ enterpriseId: "e1", grantId: "g1", name: "示例科技" });
    s.stopActing();
    expect(s.accessToken).toBe(OWN);
    expect(s.getSnapshot().acting).toBeNull();
    expect(s.getSnapshot().actingEnded).toBeNull();
    expect(storage.data.has(ACTING_KEY)).toBe(false);
  });

  it("refuses a token that does not act for anyone", () => {
    const { s } = session(refreshed);
    s.setTokens({ access_token: OWN, refresh_token: "r1", expires_in: 900, token_type: "Bearer" });
    expect(() => s.startActing(actForToken(OWN2), "x")).toThrow();
  });

  it("after a refresh (or a reload) acts again for the same enterprise and grant", async () => {
    const actForCall = vi.fn<ActForCall>(async () => ({ ok: true, token: actForToken(ACT2) }));
    const { s } = session(refreshed, { [ACTING_KEY]: JSON.stringify({ enterpriseId: "e1", grantId: "g1", name: "示例科技" }) });
    s.actForCall = actForCall;
    expect(s.canRestore).toBe(true);
    expect(await s.refresh()).toBe("refreshed");
    expect(actForCall).toHaveBeenCalledWith({ enterpriseId: "e1", grantId: "g1", name: "示例科技" }, OWN2);
    expect(s.accessToken).toBe(ACT2);
    expect(s.ownAccessToken).toBe(OWN2);
    expect(s.getSnapshot().acting?.name).toBe("示例科技");
  });

  it("acts as the person again, and says so, when the grant no longer holds", async () => {
    const { s, storage } = session(refreshed);
    s.actForCall = async () => ({ ok: false, status: 403 });
    s.setTokens({ access_token: OWN, refresh_token: "r1", expires_in: 900, token_type: "Bearer" });
    s.startActing(actForToken(ACT), "示例科技");
    expect(await s.refresh()).toBe("refreshed");
    expect(s.accessToken).toBe(OWN2);
    expect(s.getSnapshot().acting).toBeNull();
    expect(s.getSnapshot().actingEnded?.name).toBe("示例科技");
    expect(storage.data.has(ACTING_KEY)).toBe(false);
    s.dismissActingEnded();
    expect(s.getSnapshot().actingEnded).toBeNull();
  });

  it("does not go on acting when identity cannot be asked", async () => {
    const { s } = session(refreshed);
    s.actForCall = () => Promise.reject(new TypeError("offline"));
    s.setTokens({ access_token: OWN, refresh_token: "r1", expires_in: 900, token_type: "Bearer" });
    s.startActing(actForToken(ACT), "示例科技");
    await s.refresh();
    expect(s.accessToken).toBe(OWN2);
    expect(s.getSnapshot().acting).toBeNull();
  });

  it("a new login and a logout end acting", () => {
    const { s, storage } = session(refreshed);
    s.setTokens({ access_token: OWN, refresh_token: "r1", expires_in: 900, token_type: "Bearer" });
    s.startActing(actForToken(ACT), "示例科技");
    s.setTokens({ access_token: OWN2, refresh_token: "r3", expires_in: 900, token_type: "Bearer" });
    expect(s.getSnapshot().acting).toBeNull();
    expect(storage.data.has(ACTING_KEY)).toBe(false);
    s.startActing(actForToken(ACT), "示例科技");
    s.clear(false);
    expect(s.accessToken).toBeNull();
    expect(s.getSnapshot().acting).toBeNull();
    expect(storage.data.has(ACTING_KEY)).toBe(false);
  });
});
