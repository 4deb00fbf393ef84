/** The licence pages in one chunk (a holder's list, one licence, the public verification). */
export { default as MyLicencesPage } from "./MyLicencesPage";
export { default as LicencePage } from "./LicencePage";
export { default as VerifyPage } from "./VerifyPage";
export { default as SharedPage } from "./SharedPage";
