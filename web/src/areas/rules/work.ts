import type { RouteObject } from "react-router";
import type { StaffMenuEntry } from "../../staff/menu";
import { areaPage } from "../page";
import { EDITORS } from "./shared";

const page = (name: "DispatchPage" | "TimeLimitsPage" | "EscalationsPage" | "RankingPage") =>
  areaPage("rules", () => import("./pages").then((m) => ({ default: m[name] })));

// Each page is listed for the roles that may change its rules; the services decide (hotline-svc
// and evaluation-svc let administrators change every kind).
/** This workspace's entries in the staff side menu (paths under /work). */
export const menu: StaffMenuEntry[] = [
  { key: "rules-dispatch", path: "/work/rules/dispatch", label: "rules:menu.dispatch", group: "admin", roles: [...EDITORS.dispatch] },
  { key: "rules-time-limits", path: "/work/rules/time-limits", label: "rules:menu.timeLimits", group: "admin", roles: [...EDITORS.timeLimits] },
  { key: "rules-escalations", path: "/work/rules/escalations", label: "rules:menu.escalations", group: "admin", roles: [...EDITORS.escalations] },
  { key: "rules-ranking", path: "/work/rules/ranking", label: "rules:menu.ranking", group: "admin", roles: [...EDITORS.ranking] },
];

/** This workspace's pages, children of /work (one lazy chunk for all of them). */
export const routes: RouteObject[] = [
  { path: "rules/dispatch", lazy: page("DispatchPage") },
  { path: "rules/time-limits", lazy: page("TimeLimitsPage") },
  { path: "rules/escalations", lazy: page("EscalationsPage") },
  { path: "rules/ranking", lazy: page("RankingPage") },
];
