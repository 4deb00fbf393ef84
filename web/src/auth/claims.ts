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

/** The `act` claim of an act-for token (identity-svc `ActClaimRead`): for whom the token acts. */
export interface ActClaim {
  /** The enterprise's id. */
  entity_id: string;
  /** Its unified social credit code (统一社会信用代码). */
  uscc: string;
  /** The grant acted under; "" for the legal representative. */
  grant_id: string;
  /** Item codes the token may act on; ["*"] for every item. */
  scope: string[];
}

/** For whom these claims act (代表法人), or null for a token acting as the person themselves. */
export function actingFor(claims: TokenClaims | null): ActClaim | null {
  const act = claims?.act;
  if (!act) return null;
  const { entity_id, uscc, grant_id, scope } = act;
  if (typeof entity_id !== "string" || entity_id === "") return null;
  return {
    entity_id,
    uscc: typeof uscc === "string" ? uscc : "",
    grant_id: typeof grant_id === "string" ? grant_id : "",
    scope: Array.isArray(scope) ? scope.filter((s): s is string => typeof s === "string") : [],
  };
}

/** May a token with this act claim act on the item (its scope is every item, or lists it)? */
export function actCovers(act: ActClaim, itemCode: string): boolean {
  return act.scope.includes("*") || act.scope.includes(itemCode);
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
