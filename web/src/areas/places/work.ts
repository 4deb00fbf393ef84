import type { RouteObject } from "react-router";
import type { StaffMenuEntry } from "../../staff/menu";

/** This workspace's entries in the staff side menu (paths under /work). */
export const menu: StaffMenuEntry[] = [];

/** This workspace's pages, children of /work. */
export const routes: RouteObject[] = [];
