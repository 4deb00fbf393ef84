import type { RouteObject } from "react-router";
import type { StaffMenuEntry } from "../../staff/menu";
import { areaPage } from "../page";

/** This workspace's entries in the staff side menu (paths under /work). */
export const menu: StaffMenuEntry[] = [
  { key: "supervision-board", path: "/work/supervision", label: "supervision:menu.board", group: "supervision", roles: ["supervisor", "admin"] },
  { key: "supervision-indicators", path: "/work/supervision/indicators", label: "supervision:menu.indicators", group: "supervision", roles: ["supervisor", "evaluator", "admin"] },
  { key: "supervision-bad-reviews", path: "/work/supervision/bad-reviews", label: "supervision:menu.badReviews", group: "supervision", roles: ["supervisor", "evaluator", "admin", "approver", "handler", "window_clerk"] },
];

/** This workspace's pages, children of /work (paths relative: "window/cases/:id"). */
export const routes: RouteObject[] = [
  { path: "supervision", lazy: areaPage("supervision", () => import("./BoardPage")) },
  // A case as supervisors see it: the approval workspace's case page (its actions follow the roles).
  { path: "supervision/cases/:id", lazy: areaPage("approval", () => import("../approval/CasePage")) },
  { path: "supervision/indicators", lazy: areaPage("supervision", () => import("./IndicatorsPage")) },
  { path: "supervision/bad-reviews", lazy: areaPage("supervision", () => import("./BadReviewsPage")) },
  { path: "supervision/bad-reviews/:id", lazy: areaPage("supervision", () => import("./BadReviewPage")) },
];
