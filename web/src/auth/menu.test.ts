import { describe, expect, it } from "vitest";
import { activeEntry, menuFor, type MenuEntry } from "./menu";
import type { TokenClaims } from "./claims";
import { decodeClaims } from "./claims";

const citizen: TokenClaims = { sub: "p1", kind: "person", roles: [], exp: 1 };
const clerk: TokenClaims = { sub: "s1", kind: "staff", roles: ["window_clerk"], exp: 1 };

describe("menu by roles", () => {
  it("shows a visitor only the public pages", () => {
    expect(menuFor(null).map((e) => e.key)).toEqual(["home", "items", "bundles"]);
  });

  it("shows a citizen their applications", () => {
    // Each area of the portal adds its entries after these (issue 16).
    const keys = menuFor(citizen).map((e) => e.key);
    expect(keys.slice(0, 3)).toEqual(["home", "items", "applications"]);
    expect(keys).toEqual(expect.arrayContaining(["bundles", "licences", "appointments", "hotline", "ratings"]));
  });

  it("shows staff their workspace, not the citizens' pages", () => {
    expect(menuFor(clerk).map((e) => e.key)).toEqual(["home", "items", "bundles", "work"]);
  });

  it("shows role-bound entries only to those roles", () => {
    const entries: MenuEntry[] = [
      { key: "intake", path: "/staff/intake", label: "x", audience: { kind: "staff", roles: ["window_clerk", "approver"] } },
      { key: "hotline", path: "/staff/hotline", label: "x", audience: { kind: "staff", roles: ["hotline_agent"] } },
      { key: "me", path: "/me", label: "x", audience: { loggedIn: true } },
    ];
    expect(menuFor(clerk, entries).map((e) => e.key)).toEqual(["intake", "me"]);
    expect(menuFor(citizen, entries).map((e) => e.key)).toEqual(["me"]);
    expect(menuFor(null, entries)).toEqual([]);
  });

  it("highlights the entry of the page shown", () => {
    const entries = menuFor(citizen);
    expect(activeEntry("/", entries)?.key).toBe("home");
    expect(activeEntry("/items/11010500100001", entries)?.key).toBe("items");
    expect(activeEntry("/my/applications/abc", entries)?.key).toBe("applications");
    expect(activeEntry("/login", entries)).toBeUndefined();
  });
});

describe("token claims", () => {
  it("reads the roles of a staff token, Chinese names intact", () => {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const token = `${enc({ alg: "RS256" })}.${enc({ sub: "s1", kind: "staff", roles: ["approver"], exp: 5, org_unit_code: "110105-MZJ", note: "民政局" })}.x`;
    expect(decodeClaims(token)).toEqual({ sub: "s1", kind: "staff", roles: ["approver"], exp: 5, org_unit_code: "110105-MZJ" });
    expect(decodeClaims("not-a-token")).toBeNull();
  });
});
