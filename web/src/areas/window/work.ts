import type { RouteObject } from "react-router";
import type { StaffMenuEntry } from "../../staff/menu";
import { areaPage } from "../page";
import { loadArea } from "../../i18n/areas";

const roles = ["window_clerk"];
const pages = () => import("./pages");
type PageName = "WorkListPage" | "NewApplicationPage" | "CasePage" | "AppointmentsPage" | "PadPage" | "BundlesPage" | "NewBundlePage" | "BundleCasePage";
// The console shows the apply area's commitment and the bundle area's stages: their texts load with it.
const page = (name: PageName) =>
  areaPage("window", () => Promise.all([pages(), loadArea("apply"), loadArea("bundle")]).then(([m]) => ({ default: m[name] })));

/** This workspace's entries in the staff side menu (paths under /work). */
export const menu: StaffMenuEntry[] = [
  { key: "window", path: "/work/window", label: "window:menu.worklist", group: "window", roles },
  { key: "window-new", path: "/work/window/new", label: "window:menu.newApplication", group: "window", roles },
  { key: "window-bundles", path: "/work/window/bundles", label: "window:menu.bundles", group: "window", roles },
  { key: "window-appointments", path: "/work/window/appointments", label: "window:menu.appointments", group: "window", roles },
  { key: "window-pad", path: "/work/window/pad", label: "window:menu.pad", group: "window", roles },
];

/** This workspace's pages, children of /work (one lazy chunk for all of them). */
export const routes: RouteObject[] = [
  { path: "window", lazy: page("WorkListPage") },
  { path: "window/new", lazy: page("NewApplicationPage") },
  { path: "window/cases/:id", lazy: page("CasePage") },
  { path: "window/bundles", lazy: page("BundlesPage") },
  { path: "window/bundles/new", lazy: page("NewBundlePage") },
  { path: "window/bundles/:id", lazy: page("BundleCasePage") },
  { path: "window/appointments", lazy: page("AppointmentsPage") },
  { path: "window/pad", lazy: page("PadPage") },
];
