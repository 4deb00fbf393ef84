/** The 一件事 pages in one chunk: a person finds a bundle, applies and follows it in one visit. */
export { default as BundlesPage } from "./BundlesPage";
export { default as BundleGuidePage } from "./BundleGuidePage";
export { default as BundleApplyPage } from "./BundleApplyPage";
export { default as MyBundlesPage } from "./MyBundlesPage";
export { default as BundleApplicationPage } from "./BundleApplicationPage";
