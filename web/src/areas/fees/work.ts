import type { RouteObject } from "react-router";
import type { StaffMenuEntry } from "../../staff/menu";
import { areaPage } from "../page";

/** The fees' staff page: the day's reconciliation (收费对账), under supervision in the menu. */
export const menu: StaffMenuEntry[] = [
  { key: "fees-reconciliation", path: "/work/supervision/fees", label: "fees:recon.menu", group: "supervision", roles: ["supervisor", "admin"] },
];

/** Its page, a child of /work. */
export const routes: RouteObject[] = [{ path: "supervision/fees", lazy: areaPage("fees", () => import("./ReconciliationPage")) }];
