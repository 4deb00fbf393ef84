import type { RouteObject } from "react-router";

/** The apply area's pages (see src/areas/page.ts for how a page and its texts load). */
export const routes: RouteObject[] = [];
