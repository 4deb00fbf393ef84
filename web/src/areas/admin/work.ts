import type { RouteObject } from "react-router";
import type { StaffMenuEntry } from "../../staff/menu";
import { areaPage } from "../page";

const roles = ["admin"];
const page = (name: "OrgPage" | "StaffPage" | "CalendarPage") =>
  areaPage("admin", () => import("./pages").then((m) => ({ default: m[name] })));

/** This workspace's entries in the staff side menu (paths under /work). */
export const menu: StaffMenuEntry[] = [
  { key: "admin-org", path: "/work/admin/org", label: "admin:menu.org", group: "admin", roles },
  { key: "admin-staff", path: "/work/admin/staff", label: "admin:menu.staff", group: "admin", roles },
  { key: "admin-calendar", path: "/work/admin/calendar", label: "admin:menu.calendar", group: "admin", roles },
];

/** This workspace's pages, children of /work (one lazy chunk for all of them). */
export const routes: RouteObject[] = [
  { path: "admin/org", lazy: page("OrgPage") },
  { path: "admin/staff", lazy: page("StaffPage") },
  { path: "admin/calendar", lazy: page("CalendarPage") },
];
