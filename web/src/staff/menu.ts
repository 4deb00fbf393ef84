import type { TokenClaims } from "../auth/claims";

/** One entry of the staff workspace's side menu: a page and the roles that work in it. */
export interface StaffMenuEntry {
  key: string;
  /** Path under /work. */
  path: string;
  /** i18n key of its label: in the `staff` namespace, or "<area>:<key>" in the area's own. */
  label: string;
  /** Menu group: the workspace it belongs to (i18n key `groups.<group>` in `staff`). */
  group: StaffGroup;
  /** Roles that see it; empty for every staff account. */
  roles: string[];
}

export type StaffGroup = "home" | "window" | "hall" | "approval" | "hotline" | "supervision" | "catalogue" | "admin";

/** The groups in menu order. */
export const GROUPS: StaffGroup[] = ["home", "window", "hall", "approval", "hotline", "supervision", "catalogue", "admin"];

/** True when a staff account with these claims may see the entry (convenience only: the API decides). */
export function staffMaySee(entry: { roles: string[] }, claims: TokenClaims | null): boolean {
  if (!claims || claims.kind !== "staff") return false;
  return entry.roles.length === 0 || entry.roles.some((r) => claims.roles.includes(r));
}

/** The entries these claims see, grouped in menu order (empty groups left out). */
export function staffMenuFor(entries: StaffMenuEntry[], claims: TokenClaims | null): { group: StaffGroup; entries: StaffMenuEntry[] }[] {
  const visible = entries.filter((e) => staffMaySee(e, claims));
  return GROUPS.map((group) => ({ group, entries: visible.filter((e) => e.group === group) })).filter((g) => g.entries.length > 0);
}

/** The entry a path is on (the longest matching path), for highlighting the menu. */
export function activeStaffEntry(pathname: string, entries: StaffMenuEntry[]): StaffMenuEntry | undefined {
  return entries
    .filter((e) => pathname === e.path || pathname.startsWith(`${e.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

/** The areas whose texts the entries' labels ("<area>:<key>") need, sorted. */
export function menuNamespaces(entries: { label: string }[]): string[] {
  return [...new Set(entries.filter((e) => e.label.includes(":")).map((e) => e.label.split(":")[0]!))].sort();
}
