import type { RouteObject } from "react-router";
import { areaPage } from "../page";

/** 免申即享: the services offered to a person (为您推荐). */
export const routes: RouteObject[] = [{ path: "my/offers", lazy: areaPage("offers", () => import("./OffersPage")) }];
