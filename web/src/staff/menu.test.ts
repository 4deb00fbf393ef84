import { describe, expect, it } from "vitest";
import { activeStaffEntry, menuNamespaces, staffMaySee, staffMenuFor, type StaffMenuEntry } from "./menu";
import type { TokenClaims } from "../auth/claims";

const claims = (kind: string, roles: string[]): TokenClaims => ({ sub: "x", kind, roles, exp: 0 });
const entries: StaffMenuEntry[] = [
  { key: "home", path: "/work", label: "l", group: "home", roles: [] },
  { key: "window", path: "/work/window", label: "l", group: "window", roles: ["window_clerk"] },
  { key: "window-case", path: "/work/window/cases", label: "l", group: "window", roles: ["window_clerk"] },
  { key: "admin", path: "/work/admin", label: "l", group: "admin", roles: ["admin"] },
];

describe("staff menu", () => {
  it("shows a citizen nothing and a clerk the clerk's groups", () => {
    expect(staffMaySee(entries[0]!, claims("person", []))).toBe(false);
    expect(staffMenuFor(entries, claims("staff", ["window_clerk"])).map((g) => g.group)).toEqual(["home", "window"]);
    expect(staffMenuFor(entries, null)).toEqual([]);
  });
  it("highlights the longest matching entry", () => {
    expect(activeStaffEntry("/work/window/cases/7", entries)?.key).toBe("window-case");
    expect(activeStaffEntry("/work/windowless", entries)?.key).toBe("home");
  });
});

describe("menu namespaces", () => {
  it("lists each area a label needs once", () => {
    expect(menuNamespaces([{ label: "home" }, { label: "window:menu.a" }, { label: "window:menu.b" }, { label: "admin:x" }])).toEqual(["admin", "window"]);
  });
});
