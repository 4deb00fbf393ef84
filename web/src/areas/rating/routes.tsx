import type { RouteObject } from "react-router";
import { areaPage } from "../page";

/**
 * 好差评: a citizen's services to rate, their ratings and their bad reviews' handling; and `/rate/<code>`,
 * the page a window's rating pad links to (its QR code), where anyone holding the one-time code rates
 * without logging in.
 */
export const routes: RouteObject[] = [
  { path: "my/ratings", lazy: areaPage("rating", () => import("./MyRatingsPage")) },
  { path: "my/ratings/:eventId", lazy: areaPage("rating", () => import("./RateServicePage")) },
  { path: "rate", lazy: areaPage("rating", () => import("./RateByCodePage")) },
  { path: "rate/:code", lazy: areaPage("rating", () => import("./RateByCodePage")) },
];
