import type { RouteObject } from "react-router";
import { areaPage } from "../page";
import { RouteError } from "../../layout/RouteError";

/**
 * The kiosk (自助终端): top-level routes with a shell of their own (see src/areas/page.ts for how a
 * page and its texts load). `/kiosk?idle=<seconds>` sets the inactivity timeout (default 90 s), `?place=<id>` the hall the
 * kiosk stands in (取号, 预约签到; default the first place with a queue).
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
      { path: "queue", lazy: areaPage("kiosk", () => import("./KioskQueue")) },
      { path: "queue/check-in", lazy: areaPage("kiosk", () => import("./KioskQueue").then((m) => ({ default: m.KioskCheckIn }))) },
      { path: "*", lazy: areaPage("kiosk", () => import("./KioskHome")) },
    ],
  },
];
