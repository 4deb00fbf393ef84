/** The places workspace's pages in one chunk: the first page's bundle holds one import. */
export { default as PlacesPage } from "./PlacesPage";
export { default as PlacePage } from "./PlacePage";
export { default as EntrustmentsPage } from "./EntrustmentsPage";
