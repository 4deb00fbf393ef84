import type { RouteObject } from "react-router";
import type { StaffMenuEntry } from "../../staff/menu";
import { areaPage } from "../page";

/** This workspace's entries in the staff side menu (paths under /work). */
export const menu: StaffMenuEntry[] = [
  { key: "hotline-call", path: "/work/hotline/call", label: "hotline-desk:menu.call", group: "hotline", roles: ["hotline_agent"] },
  { key: "hotline-callbacks", path: "/work/hotline/callbacks", label: "hotline-desk:menu.callbacks", group: "hotline", roles: ["hotline_agent", "supervisor"] },
  { key: "hotline-dispatch", path: "/work/hotline/dispatch", label: "hotline-desk:menu.dispatch", group: "hotline", roles: ["dispatcher"] },
  { key: "hotline-tickets", path: "/work/hotline/tickets", label: "hotline-desk:menu.tickets", group: "hotline", roles: ["handler"] },
];

/** This workspace's pages, children of /work (paths relative: "window/cases/:id"). */
export const routes: RouteObject[] = [
  { path: "hotline/call", lazy: areaPage("hotline-desk", () => import("./CallPage")) },
  { path: "hotline/callbacks", lazy: areaPage("hotline-desk", () => import("./CallbacksPage")) },
  { path: "hotline/dispatch", lazy: areaPage("hotline-desk", () => import("./DispatchPage")) },
  { path: "hotline/tickets", lazy: areaPage("hotline-desk", () => import("./UnitTicketsPage")) },
  { path: "hotline/tickets/:id", lazy: areaPage("hotline-desk", () => import("./TicketDeskPage")) },
];
