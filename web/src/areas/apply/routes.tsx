import type { RouteObject } from "react-router";
import { areaPage } from "../page";

/** The apply area's pages (see src/areas/page.ts for how a page and its texts load). */
export const routes: RouteObject[] = [{ path: "apply/:code", lazy: areaPage("apply", () => import("./ApplyPage")) }];
