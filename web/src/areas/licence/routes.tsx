import type { RouteObject } from "react-router";
import { areaPage } from "../page";

const pages = () => import("./pages");
const page = (name: "MyLicencesPage" | "LicencePage" | "VerifyPage" | "SharedPage") =>
  areaPage("licence", () => pages().then((m) => ({ default: m[name] })));

/** 电子证照: a person's licences, shares and uses; public verification by number or share code. */
export const routes: RouteObject[] = [
  { path: "my/licences", lazy: page("MyLicencesPage") },
  { path: "my/licences/:id", lazy: page("LicencePage") },
  { path: "verify", lazy: page("VerifyPage") },
  { path: "verify/:code", lazy: page("SharedPage") },
];
