import type { RouteObject } from "react-router";
import type { StaffMenuEntry } from "../../staff/menu";
import { areaPage } from "../page";

const page = (name: "PlacesPage" | "PlacePage" | "EntrustmentsPage") =>
  areaPage("places", () => import("./pages").then((m) => ({ default: m[name] })));

/**
 * This workspace's entries in the staff side menu (paths under /work). intake-svc lets window clerks
 * and supervisors manage their own unit's places, approvers record their unit's agreements, and
 * clerks and handlers read agreements; the entries sit under 系统管理, which window clerks are not
 * offered (their workspace is the window's), so they are left to administrators, supervisors and
 * approvers. The API decides either way.
 */
export const menu: StaffMenuEntry[] = [
  { key: "places", path: "/work/places", label: "places:menu.places", group: "admin", roles: ["admin", "supervisor"] },
  {
    key: "places-entrustments",
    path: "/work/places/entrustments",
    label: "places:menu.entrustments",
    group: "admin",
    roles: ["admin", "approver", "supervisor"],
  },
];

/** This workspace's pages, children of /work (one lazy chunk for all of them). */
export const routes: RouteObject[] = [
  { path: "places", lazy: page("PlacesPage") },
  { path: "places/entrustments", lazy: page("EntrustmentsPage") },
  { path: "places/:placeId", lazy: page("PlacePage") },
];
