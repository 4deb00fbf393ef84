import { describe, expect, it } from "vitest";
import { landingFor, safeNext } from "./safeNext";

describe("where to go after logging in", () => {
  it("returns to a page of this app", () => {
    expect(safeNext("/my/applications?status=accepted")).toBe("/my/applications?status=accepted");
  });
  it("never leaves the app or loops on the login page", () => {
    for (const bad of [null, "", "https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "/login?next=/x"]) {
      expect(safeNext(bad)).toBe("/");
    }
  });
});

describe("landingFor", () => {
  it("sends staff to their workspace unless a page was asked for", () => {
    expect(landingFor("/", "staff")).toBe("/work");
    expect(landingFor("/work/window", "staff")).toBe("/work/window");
    expect(landingFor("/", "person")).toBe("/");
  });
});
