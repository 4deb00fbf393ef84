import type { RouteObject } from "react-router";
import { areaPage } from "../page";

/** The enterprise area's pages (see src/areas/page.ts for how a page and its texts load). */
export const routes: RouteObject[] = [
  { path: "enterprise", lazy: areaPage("enterprise", () => import("./EnterprisesPage")) },
  { path: "enterprise/applications", lazy: areaPage("enterprise", () => import("./EnterpriseApplicationsPage")) },
  { path: "enterprise/:id", lazy: areaPage("enterprise", () => import("./EnterprisePage")) },
];
