import type { RouteObject } from "react-router";
import { areaPage } from "../areas/page";
import { RouteError } from "../layout/RouteError";

const WORK_ID = "work";

/** The staff workspace under /work: its own shell (side menu) and home; every workspace's pages
 * are patched in on the first visit below /work (patchStaffRoutes). */
export const routes: RouteObject[] = [
  {
    id: WORK_ID,
    path: "/work",
    lazy: areaPage("staff", () => import("./StaffShell")),
    errorElement: <RouteError />,
    children: [{ index: true, lazy: areaPage("staff", () => import("./WorkHome")) }],
  },
];

let patched: Promise<void> | null = null;

/** Adds every workspace's pages under /work the first time a path below it is visited. */
export function patchStaffRoutes(path: string, patch: (routeId: string, children: RouteObject[]) => void): Promise<void> | void {
  if (path !== "/work" && !path.startsWith("/work/")) return;
  patched ??= import("./registry").then(({ STAFF_ROUTES }) => patch(WORK_ID, STAFF_ROUTES));
  return patched;
}
