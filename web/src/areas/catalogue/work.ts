import type { RouteObject } from "react-router";
import type { StaffMenuEntry } from "../../staff/menu";
import { areaPage } from "../page";

const roles = ["catalog_editor", "admin"];
const page = (name: "CatalogueWorkPage" | "ItemEditorPage" | "BundlesPage" | "ImportsPage") =>
  areaPage("catalogue", () => import("./pages").then((m) => ({ default: m[name] })));

/** This workspace's entries in the staff side menu (paths under /work). */
export const menu: StaffMenuEntry[] = [
  { key: "catalogue", path: "/work/catalogue", label: "catalogue:menu.work", group: "catalogue", roles },
  { key: "catalogue-bundles", path: "/work/catalogue/bundles", label: "catalogue:menu.bundles", group: "catalogue", roles },
  { key: "catalogue-imports", path: "/work/catalogue/imports", label: "catalogue:menu.imports", group: "catalogue", roles },
];

/** This workspace's pages, children of /work (one lazy chunk for all of them). */
export const routes: RouteObject[] = [
  { path: "catalogue", lazy: page("CatalogueWorkPage") },
  { path: "catalogue/items/:code", lazy: page("ItemEditorPage") },
  { path: "catalogue/bundles", lazy: page("BundlesPage") },
  { path: "catalogue/imports", lazy: page("ImportsPage") },
];
