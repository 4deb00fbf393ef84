import type { components } from "../../api/schema";

export type Licence = components["schemas"]["licence__LicenceRead"];
export type LicenceStatus = Licence["status"];
export type Share = components["schemas"]["licence__ShareRead"];
export type LicenceUse = components["schemas"]["licence__UseRead"];

export const LICENCE_STATUSES = ["valid", "suspended", "revoked", "expired"] as const satisfies readonly LicenceStatus[];

/** valid green, suspended orange, revoked red, expired grey. */
export function licenceColor(status: LicenceStatus): string {
  return { valid: "green", suspended: "orange", revoked: "red", expired: "default" }[status];
}

/** The choices a holder has for how long a share code works (hours). */
export const SHARE_HOURS = [1, 24, 72, 168] as const;

/** Days left of a licence's validity on `today` (YYYY-MM-DD), null when it has no end. */
export function daysLeft(validUntil: string | null | undefined, today: string): number | null {
  if (!validUntil) return null;
  const ms = Date.parse(`${validUntil}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`);
  return Math.round(ms / 86_400_000);
}

/** The facts on a licence as label/value pairs, in the order it carries them (strings and numbers only). */
export function dataLines(data: Record<string, unknown>): { label: string; value: string }[] {
  return Object.entries(data)
    .filter(([, v]) => typeof v === "string" || typeof v === "number" || typeof v === "boolean")
    .map(([label, v]) => ({ label, value: String(v) }));
}

/** The portal link a share code opens (the public page shows what the holder shares). */
export function shareLink(origin: string, code: string): string {
  return `${origin}/verify/${encodeURIComponent(code)}`;
}
