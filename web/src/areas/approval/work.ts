import type { RouteObject } from "react-router";
import type { StaffMenuEntry } from "../../staff/menu";
import { areaPage } from "../page";

/** This workspace's entries in the staff side menu (paths under /work). */
export const menu: StaffMenuEntry[] = [
  { key: "approval-inbox", path: "/work/approval", label: "approval:menu.inbox", group: "approval", roles: ["approver", "handler", "admin"] },
];

/** This workspace's pages, children of /work (paths relative: "window/cases/:id"). */
export const routes: RouteObject[] = [
  { path: "approval", lazy: areaPage("approval", () => import("./InboxPage")) },
  { path: "approval/cases/:id", lazy: areaPage("approval", () => import("./CasePage")) },
];
