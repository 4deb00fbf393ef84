import type { RouteObject } from "react-router";
import { areaPage } from "../page";

const pages = () => import("./pages");
const page = (name: "BundlesPage" | "BundleGuidePage" | "BundleApplyPage" | "MyBundlesPage" | "BundleApplicationPage") =>
  areaPage("bundle", () => pages().then((m) => ({ default: m[name] })));

/** 一件事 (one thing): the bundles, what to bring, applying once, following it. */
export const routes: RouteObject[] = [
  { path: "bundles", lazy: page("BundlesPage") },
  { path: "bundles/:code", lazy: page("BundleGuidePage") },
  { path: "bundles/:code/apply", lazy: page("BundleApplyPage") },
  { path: "my/bundles", lazy: page("MyBundlesPage") },
  { path: "my/bundles/:id", lazy: page("BundleApplicationPage") },
];
