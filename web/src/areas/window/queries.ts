import type { Status } from "./model";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";

/** Query keys of the window console (personal: dropped when the session ends). */
export const KEYS = {
  list: (status: string) => [MY, "window", "applications", status] as const,
  board: [MY, "window", "board"] as const,
  calendar: (year: number) => ["window", "calendar", year] as const,
  app: (id: string) => [MY, "window", "application", id] as const,
  trace: (id: string) => [MY, "window", "application", id, "trace"] as const,
  me: [MY, "me"] as const,
};

export const listApplications = (status: string) =>
  unwrap(api.GET("/api/intake/v1/applications", { params: { query: { status: status as Status, limit: 200 } } }));

export const getApplication = (id: string) =>
  unwrap(api.GET("/api/intake/v1/applications/{application_id}", { params: { path: { application_id: id } } }));

export const getBoard = () => unwrap(api.GET("/api/intake/v1/supervision/cases", { params: { query: { limit: 200 } } }));

export const getCalendar = (year: number) =>
  unwrap(api.GET("/api/intake/v1/calendar/days", { params: { query: { year, limit: 200 } } }));

export const getMe = () => unwrap(api.GET("/api/identity/v1/me"));
