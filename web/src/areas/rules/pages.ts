/** The rules workspace's pages in one chunk: the first page's bundle holds one import. */
export { default as DispatchPage } from "./DispatchPage";
export { default as TimeLimitsPage } from "./TimeLimitsPage";
export { default as EscalationsPage } from "./EscalationsPage";
export { default as RankingPage } from "./RankingPage";
