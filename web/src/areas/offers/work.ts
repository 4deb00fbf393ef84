import type { RouteObject } from "react-router";
import type { StaffMenuEntry } from "../../staff/menu";
import { areaPage } from "../page";

/** The offers of the unit's items (免申即享推送), under approval in the menu. */
export const menu: StaffMenuEntry[] = [
  { key: "offers", path: "/work/approval/offers", label: "offers:staff.menu", group: "approval", roles: ["approver", "handler", "admin", "supervisor"] },
];

export const routes: RouteObject[] = [{ path: "approval/offers", lazy: areaPage("offers", () => import("./StaffOffersPage")) }];
