import type { ComponentType } from "react";
import { loadArea } from "../i18n/areas";

/**
 * A route's `lazy`: the page's chunk and its area's texts, fetched together when the route is first
 * visited (so a page never renders with missing texts).
 */
export function areaPage(area: string, load: () => Promise<{ default: ComponentType }>) {
  return async () => {
    const [module] = await Promise.all([load(), loadArea(area)]);
    return { Component: module.default };
  };
}
