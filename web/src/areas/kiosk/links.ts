/** Pure helpers of the kiosk (no browser state): where links go, how a rating code is read. */

/** A rating code as the pad shows it, typed with spaces, dashes or lower case: 10 characters. */
export function normaliseRatingCode(value: string): string {
  return value.replace(/[\s-]/g, "").toUpperCase();
}

/** The characters a rating code is made of (no 0/O, 1/I), for the on-screen keys. */
export const RATING_CODE_KEYS = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
export const RATING_CODE_LENGTH = 10;

/**
 * Where a link of a shared page (a guide, a search hit) goes on the kiosk: the kiosk's own pages and
 * the rating page stay; the portal's search and guides become the kiosk's; anything else (logging
 * in, applying, new windows, other sites) is not offered on a shared machine.
 */
export function kioskTarget(href: string): string | null {
  if (!href.startsWith("/") || href.startsWith("//")) return null;
  if (href === "/kiosk" || href.startsWith("/kiosk/") || href.startsWith("/kiosk?")) return href;
  if (href === "/rate" || href.startsWith("/rate/")) return href;
  if (href === "/") return "/kiosk";
  if (href === "/items" || href.startsWith("/items/") || href.startsWith("/items?")) return `/kiosk${href}`;
  return null;
}

/** The hall a kiosk stands in as `?place=<id>` gives it (a place id: letters, digits, dashes), else null. */
export function placeIdFrom(value: string | null | undefined): string | null {
  const v = value?.trim();
  return v && /^[A-Za-z0-9_-]{1,64}$/.test(v) ? v : null;
}

/** What a booking number looks like once typed: spaces gone, upper case (YY20261123-7KQ2M9XD). */
export function normaliseBookingNo(value: string): string {
  return value.replace(/\s/g, "").toUpperCase();
}
