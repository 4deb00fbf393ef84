import type { RouteObject } from "react-router";
import { areaPage } from "../page";
import { RouteError } from "../../layout/RouteError";

/**
 * The kiosk (自助终端): top-level routes with a shell of their own (see src/areas/page.ts for how a
 * page and its texts load). `/kiosk?idle=<seconds>` sets the inactivity timeout (default 90 s).
 */
export const routes: RouteObject[] = [
  {
    path: "/kiosk",
    lazy: areaPage("kiosk", () => import("./KioskShell")),
    errorElement: <RouteError />,
    children: [
      { index: true, lazy: areaPage("kiosk", () => import("./KioskHome")) },
      { path: "items", lazy: areaPage("kiosk", () => import("./KioskSearch")) },
      { path: "items/:code", lazy: areaPage("kiosk", () => import("./KioskGuide")) },
      { path: "rate", lazy: areaPage("kiosk", () => import("./KioskRate")) },
      { path: "*", lazy: areaPage("kiosk", () => import("./KioskHome")) },
    ],
  },
];
