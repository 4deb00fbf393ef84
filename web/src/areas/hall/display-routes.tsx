import type { RouteObject } from "react-router";
import { areaPage } from "../page";
import { RouteError } from "../../layout/RouteError";

/** The hall's big screen (大厅显示屏): top level, no login, no shell — `/hall/<placeId>/display`. */
export const routes: RouteObject[] = [
  { path: "/hall/:placeId/display", lazy: areaPage("hall", () => import("./DisplayPage")), errorElement: <RouteError /> },
];
