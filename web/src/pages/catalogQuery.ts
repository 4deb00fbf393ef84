import type { paths } from "../api/schema";

/** The catalogue search's query parameters, exactly as the API declares them. */
export type ItemsQuery = NonNullable<paths["/api/catalog/v1/items"]["get"]["parameters"]["query"]>;
export type ItemType = NonNullable<ItemsQuery["item_type"]>;
export type OnlineDepth = NonNullable<ItemsQuery["online_depth"]>;
export type ServiceObject = NonNullable<ItemsQuery["service_object"]>;
export type CommunityKind = NonNullable<ItemsQuery["community_kind"]>;

// The closed sets, checked against the generated types: adding a value to the API breaks the build here.
export const ITEM_TYPES = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20"] as const satisfies readonly ItemType[];
export const ONLINE_DEPTHS = ["I", "II", "III", "IV"] as const satisfies readonly OnlineDepth[];
export const SERVICE_OBJECTS = ["1", "2", "3", "4", "5", "6"] as const satisfies readonly ServiceObject[];
export const COMMUNITY_KINDS = ["accept", "collect_forward", "enquiry_prereview"] as const satisfies readonly CommunityKind[];

export const PAGE_SIZE = 10;

function pick<T extends string>(allowed: readonly T[], value: string | null): T | undefined {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** The search as the page's URL holds it (shareable, back-button friendly); unknown values are dropped. */
export function queryFromUrl(params: URLSearchParams): ItemsQuery {
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const q = params.get("q")?.trim().slice(0, 100);
  const unit = params.get("unit")?.trim().slice(0, 64);
  const query: ItemsQuery = { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  if (q) query.q = q;
  if (unit) query.unit = unit;
  const itemType = pick(ITEM_TYPES, params.get("item_type"));
  if (itemType) query.item_type = itemType;
  const depth = pick(ONLINE_DEPTHS, params.get("online_depth"));
  if (depth) query.online_depth = depth;
  const object = pick(SERVICE_OBJECTS, params.get("service_object"));
  if (object) query.service_object = object;
  const kind = pick(COMMUNITY_KINDS, params.get("community_kind"));
  if (kind) query.community_kind = kind;
  if (params.get("zero_visit") === "true") query.zero_visit = true;
  return query;
}
