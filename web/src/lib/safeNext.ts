/** Only paths inside this app may be returned to after logging in (no open redirect). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next.startsWith("/login") ? "/" : next;
}

/** Where to land after logging in: staff asked for no page in particular go to their workspace. */
export function landingFor(next: string, kind: string | undefined): string {
  return next === "/" && kind === "staff" ? "/work" : next;
}
