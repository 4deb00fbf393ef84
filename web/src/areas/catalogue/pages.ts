/** The catalogue workspace's pages in one chunk: the first page's bundle holds one import, not four. */
export { default as CatalogueWorkPage } from "./CatalogueWorkPage";
export { default as ItemEditorPage } from "./ItemEditorPage";
export { default as BundlesPage } from "./BundlesPage";
export { default as ImportsPage } from "./ImportsPage";
