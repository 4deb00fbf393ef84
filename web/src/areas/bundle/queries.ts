import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";

export const KEYS = {
  bundles: ["bundles"] as const,
  bundle: (code: string) => ["bundle", code] as const,
  mine: [MY, "bundle-applications"] as const,
  one: (id: string) => [MY, "bundle-application", id] as const,
};

export const listBundles = () => unwrap(api.GET("/api/catalog/v1/bundles", { params: { query: { limit: 100 } } }));
export const getBundle = (code: string) => unwrap(api.GET("/api/catalog/v1/bundles/{code}", { params: { path: { code } } }));
export const getBundleApplication = (id: string) =>
  unwrap(api.GET("/api/intake/v1/bundle-applications/{bundle_application_id}", { params: { path: { bundle_application_id: id } } }));
