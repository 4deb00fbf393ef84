/** Every page of the window console, in one chunk: a clerk uses them all day (and work.ts, in the first page's bundle, then needs one lazy import). */
export { default as WorkListPage } from "./WorkListPage";
export { default as NewApplicationPage } from "./NewApplicationPage";
export { default as CasePage } from "./CasePage";
export { default as AppointmentsPage } from "./AppointmentsPage";
export { default as PadPage } from "./PadPage";
export { default as BundlesPage } from "./BundlesPage";
export { default as NewBundlePage } from "./NewBundlePage";
export { default as BundleCasePage } from "./BundleCasePage";
