import type { RouteObject } from "react-router";
import { areaPage } from "../page";

/** 12345 online: a citizen's requests, complaints and suggestions, a new one, and one followed. */
export const routes: RouteObject[] = [
  { path: "hotline", lazy: areaPage("hotline", () => import("./TicketsPage")) },
  { path: "hotline/new", lazy: areaPage("hotline", () => import("./NewTicketPage")) },
  { path: "hotline/:id", lazy: areaPage("hotline", () => import("./TicketPage")) },
];
