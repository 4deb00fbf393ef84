import type { RouteObject } from "react-router";
import { areaPage } from "../areas/page";
import { RouteError } from "../layout/RouteError";
import { STAFF_ROUTES } from "./registry";

/** The staff workspace under /work: its own shell (side menu), the home, every workspace's pages. */
export const routes: RouteObject[] = [
  {
    path: "/work",
    lazy: areaPage("staff", () => import("./StaffShell")),
    errorElement: <RouteError />,
    children: [{ index: true, lazy: areaPage("staff", () => import("./WorkHome")) }, ...STAFF_ROUTES],
  },
];
