/** The claims of identity-svc's access token the front end reads (identity-svc `account_claims`).
 *
 * The token is verified by the gateway and every service; the browser only reads it to choose what
 * to show. Nothing here is a security decision: a hidden menu entry is convenience, the API decides.
 */
export interface TokenClaims {
  sub: string;
  /** `person` (自然人) or `staff` (工作人员). */
  kind: string;
  roles: string[];
  exp: number;
  sid?: string;
  org_unit_code?: string;
  /** Set when the token acts for a legal person (代表法人办事). */
  act?: Record<string, unknown>;
}

function base64UrlDecode(part: string): string {
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The payload of a JWT, or null when it is not one we can read. */
export function decodeClaims(token: string): TokenClaims | null {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const payload: unknown = JSON.parse(base64UrlDecode(parts[1]));
    if (typeof payload !== "object" || payload === null) return null;
    const p = payload as Record<string, unknown>;
    if (typeof p.sub !== "string" || typeof p.kind !== "string" || typeof p.exp !== "number") return null;
    const roles = Array.isArray(p.roles) ? p.roles.filter((r): r is string => typeof r === "string") : [];
    return {
      sub: p.sub,
      kind: p.kind,
      roles,
      exp: p.exp,
      ...(typeof p.sid === "string" ? { sid: p.sid } : {}),
      ...(typeof p.org_unit_code === "string" ? { org_unit_code: p.org_unit_code } : {}),
      ...(typeof p.act === "object" && p.act !== null ? { act: p.act as Record<string, unknown> } : {}),
    };
  } catch {
    return null;
  }
}
