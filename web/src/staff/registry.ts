import type { RouteObject } from "react-router";
import type { StaffMenuEntry } from "./menu";
import * as windowDesk from "../areas/window/work";
import * as hall from "../areas/hall/work";
import * as approval from "../areas/approval/work";
import * as hotlineDesk from "../areas/hotline-desk/work";
import * as supervision from "../areas/supervision/work";
import * as catalogue from "../areas/catalogue/work";
import * as admin from "../areas/admin/work";
import * as rules from "../areas/rules/work";
import * as places from "../areas/places/work";
import * as fees from "../areas/fees/work";
import * as offers from "../areas/offers/work";

const WORKSPACES = [windowDesk, hall, approval, offers, hotlineDesk, supervision, fees, catalogue, admin, places, rules];

/** Every staff page in the side menu: the workspace home, then each workspace's own entries. */
export const STAFF_MENU: StaffMenuEntry[] = [
  { key: "home", path: "/work", label: "home", group: "home", roles: [] },
  ...WORKSPACES.flatMap((w) => w.menu),
];

/** Every workspace's pages, children of /work. */
export const STAFF_ROUTES: RouteObject[] = WORKSPACES.flatMap((w) => w.routes);
