import type { RouteObject } from "react-router";
import type { StaffMenuEntry } from "../../staff/menu";
import { areaPage } from "../page";

/** This workspace's entries in the staff side menu (paths under /work). */
export const menu: StaffMenuEntry[] = [
  { key: "hall-window", path: "/work/hall/window", label: "hall:menu.window", group: "hall", roles: ["window_clerk"] },
  { key: "hall-waits", path: "/work/hall/waits", label: "hall:menu.waits", group: "hall", roles: ["supervisor", "evaluator", "admin"] },
  { key: "hall-settings", path: "/work/hall/settings", label: "hall:menu.settings", group: "hall", roles: ["admin", "supervisor"] },
];

/** This workspace's pages, children of /work (paths relative: "window/cases/:id"). */
export const routes: RouteObject[] = [
  { path: "hall/window", lazy: areaPage("hall", () => import("./WindowPage")) },
  { path: "hall/waits", lazy: areaPage("hall", () => import("./WaitsPage")) },
  { path: "hall/settings", lazy: areaPage("hall", () => import("./SettingsPage")) },
];
