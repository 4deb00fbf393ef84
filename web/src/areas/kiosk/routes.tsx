import type { RouteObject } from "react-router";

/** The kiosk (自助终端): top-level routes with a shell of their own (see src/areas/page.ts for how a page and its texts load). */
export const routes: RouteObject[] = [];
