import type { RouteObject } from "react-router";
import type { StaffMenuEntry } from "../../staff/menu";
import { areaPage } from "../page";
import { loadArea } from "../../i18n/areas";

/** This workspace's entries in the staff side menu (paths under /work). */
export const menu: StaffMenuEntry[] = [
  { key: "approval-inbox", path: "/work/approval", label: "approval:menu.inbox", group: "approval", roles: ["approver", "handler", "admin"] },
  { key: "approval-post-checks", path: "/work/approval/post-checks", label: "approval:menu.postChecks", group: "approval", roles: ["approver", "admin"] },
];

/** This workspace's pages, children of /work (paths relative: "window/cases/:id"). */
export const routes: RouteObject[] = [
  { path: "approval", lazy: areaPage("approval", () => import("./InboxPage")) },
  { path: "approval/post-checks", lazy: areaPage("approval", () => import("./PostChecksPage")) },
  // The case shows the apply area's commitment (告知承诺书): its texts load with it.
  { path: "approval/cases/:id", lazy: areaPage("approval", () => Promise.all([import("./CasePage"), loadArea("apply")]).then(([m]) => m)) },
];
