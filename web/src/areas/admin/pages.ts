/** The administration workspace's pages in one chunk: the first page's bundle holds one import. */
export { default as OrgPage } from "./OrgPage";
export { default as StaffPage } from "./StaffPage";
export { default as CalendarPage } from "./CalendarPage";
