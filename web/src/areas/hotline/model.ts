import type { components } from "../../api/schema";

export type TicketCreate = components["schemas"]["hotline__TicketCreate"];
export type TicketRead = components["schemas"]["hotline__TicketRead"];
export type Category = components["schemas"]["hotline__CategoryRead"];
export type Attribute = components["schemas"]["hotline__Open311AttributeRead"];
export type RequestType = TicketCreate["request_type"];
export type TicketStatus = TicketRead["status"];
export type Attachment = NonNullable<TicketCreate["attachments"]>[number];

/** What a citizen can bring to 12345 online, the most common first. */
export const REQUEST_TYPES = ["help", "complaint", "suggestion", "enquiry", "report", "praise"] as const satisfies readonly RequestType[];

export const STATUSES = [
  "registered",
  "dispatched",
  "returned",
  "in_progress",
  "replied",
  "called_back",
  "closed",
  "merged",
] as const satisfies readonly TicketStatus[];

/** The steps a citizen sees: received → sent to the unit → being handled → replied → closed. */
export const PROGRESS = ["registered", "dispatched", "in_progress", "replied", "closed"] as const;

/** Where a ticket stands on the progress steps (a returned ticket is back at "sent"; a call-back is after the reply). */
export function progressIndex(status: TicketStatus): number {
  switch (status) {
    case "registered":
      return 0;
    case "dispatched":
    case "returned":
      return 1;
    case "in_progress":
      return 2;
    case "replied":
    case "called_back":
      return 3;
    case "closed":
    case "merged":
      return 4;
  }
}

export function statusColor(status: TicketStatus): string {
  switch (status) {
    case "replied":
    case "called_back":
    case "closed":
      return "green";
    case "merged":
      return "default";
    case "returned":
      return "orange";
    default:
      return "blue";
  }
}

export interface TicketValues {
  request_type?: RequestType;
  category_code?: string;
  attributes?: Record<string, unknown>;
  title?: string;
  description?: string;
  street_code?: string;
  community_code?: string;
  address?: string;
  lat?: number | null;
  lon?: number | null;
  caller_name?: string;
  caller_phone?: string;
  anonymous?: boolean;
}

const blank = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v.trim());

/** Only the attributes the chosen category asks for, without empty values. */
export function categoryAttributes(category: Category | undefined, values: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!category || !values) return {};
  const out: Record<string, unknown> = {};
  for (const attr of category.attributes) {
    const v = values[attr.code];
    if (v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0)) continue;
    out[attr.code] = v;
  }
  return out;
}

/** The body of `POST /api/hotline/v1/tickets` from the form, the photos already stored. */
export function ticketBody(
  values: TicketValues & { request_type: RequestType },
  channel: "web" | "mobile",
  category: Category | undefined,
  attachments: Attachment[],
): TicketCreate {
  const body: TicketCreate = {
    request_type: values.request_type,
    channel,
    title: values.title?.trim() ?? "",
    description: values.description?.trim() ?? "",
    urgent: false,
    complex: false,
    auto_dispatch: true,
    anonymous: Boolean(values.anonymous),
    attributes: categoryAttributes(category, values.attributes),
    attachments,
  };
  if (values.category_code) body.category_code = values.category_code;
  const address = blank(values.address);
  if (address) body.address = address;
  if (values.community_code) body.community_code = values.community_code;
  else if (values.street_code) body.street_code = values.street_code;
  if (typeof values.lat === "number" && typeof values.lon === "number") {
    body.lat = Math.round(values.lat * 1e6) / 1e6;
    body.lon = Math.round(values.lon * 1e6) / 1e6;
  }
  // An anonymous caller wants no call-back: no name or phone goes with it.
  if (!values.anonymous) {
    const name = blank(values.caller_name);
    const phone = blank(values.caller_phone);
    if (name) body.caller_name = name;
    if (phone) body.caller_phone = phone;
  }
  return body;
}

/** The photo types and size a citizen may attach (what the platform's file store accepts). */
export const PHOTO_TYPES = ["image/jpeg", "image/png"] as const;
/** intake-svc's upload limit (INTAKE_MAX_UPLOAD_BYTES, 5 MB by default). */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const PHOTO_MAX_COUNT = 3;

export function photoProblem(file: { type: string; size: number }): "type" | "size" | null {
  if (!(PHOTO_TYPES as readonly string[]).includes(file.type)) return "type";
  if (file.size > PHOTO_MAX_BYTES) return "size";
  return null;
}
