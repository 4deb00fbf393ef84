import type { RouteObject } from "react-router";
import { areaPage } from "../page";

/** 预约办事: a citizen's bookings (cancel one) and booking a slot at a hall or station. */
export const routes: RouteObject[] = [
  { path: "appointments", lazy: areaPage("appointments", () => import("./MyAppointmentsPage")) },
  { path: "appointments/new", lazy: areaPage("appointments", () => import("./BookPage")) },
];
