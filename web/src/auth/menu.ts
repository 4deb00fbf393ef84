import type { TokenClaims } from "./claims";

/** Who may see a menu entry: anyone, any logged-in account, a kind of account, or some roles. */
export type Audience =
  | { anyone: true }
  | { kind: "person" | "staff"; roles?: string[] }
  | { loggedIn: true };

export interface MenuEntry {
  key: string;
  path: string;
  /** i18n key of its label. */
  label: string;
  audience: Audience;
}

/**
 * Every page that exists, in menu order. Staff workspaces (issue 17) add entries here with
 * `{ kind: "staff", roles: [...] }`; nothing is listed before its page exists.
 */
export const MENU: MenuEntry[] = [
  { key: "home", path: "/", label: "nav.home", audience: { anyone: true } },
  { key: "items", path: "/items", label: "nav.items", audience: { anyone: true } },
  { key: "applications", path: "/my/applications", label: "nav.myApplications", audience: { kind: "person" } },
  { key: "bundles", path: "/bundles", label: "nav.bundles", audience: { anyone: true } },
  { key: "licences", path: "/my/licences", label: "nav.licences", audience: { kind: "person" } },
  { key: "offers", path: "/my/offers", label: "nav.offers", audience: { kind: "person" } },
  { key: "appointments", path: "/appointments", label: "nav.appointments", audience: { kind: "person" } },
  { key: "hotline", path: "/hotline", label: "nav.hotline", audience: { kind: "person" } },
  { key: "ratings", path: "/my/ratings", label: "nav.ratings", audience: { kind: "person" } },
  { key: "enterprise", path: "/enterprise", label: "nav.enterprise", audience: { kind: "person" } },
  { key: "work", path: "/work", label: "nav.work", audience: { kind: "staff" } },
];

export function canSee(audience: Audience, claims: TokenClaims | null): boolean {
  if ("anyone" in audience) return true;
  if (!claims) return false;
  if ("loggedIn" in audience) return true;
  if (claims.kind !== audience.kind) return false;
  if (!audience.roles || audience.roles.length === 0) return true;
  return audience.roles.some((role) => claims.roles.includes(role));
}

/** The menu a person with these claims (or nobody logged in) sees. */
export function menuFor(claims: TokenClaims | null, entries: MenuEntry[] = MENU): MenuEntry[] {
  return entries.filter((entry) => canSee(entry.audience, claims));
}

/** The entry whose page the path is on (the longest matching prefix), for highlighting. */
export function activeEntry(pathname: string, entries: MenuEntry[]): MenuEntry | undefined {
  return entries
    .filter((e) => (e.path === "/" ? pathname === "/" : pathname === e.path || pathname.startsWith(`${e.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0];
}
