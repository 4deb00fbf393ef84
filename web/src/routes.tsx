import { createBrowserRouter } from "react-router";
import { AppShell } from "./layout/AppShell";
import { RouteError } from "./layout/RouteError";
import { routes as apply } from "./areas/apply/routes";
import { routes as appointments } from "./areas/appointments/routes";
import { routes as rating } from "./areas/rating/routes";
import { routes as hotline } from "./areas/hotline/routes";
import { routes as enterprise } from "./areas/enterprise/routes";
import { routes as kiosk } from "./areas/kiosk/routes";
import { routes as bundle } from "./areas/bundle/routes";
import { routes as licence } from "./areas/licence/routes";
import { routes as offers } from "./areas/offers/routes";
import { routes as hallDisplay } from "./areas/hall/display-routes";
import { patchStaffRoutes, routes as work } from "./staff/routes";

/** Every page is its own chunk, loaded when its route is first visited. */
export const router = createBrowserRouter([
  {
    path: "/",
    element: <AppShell />,
    errorElement: <RouteError />,
    children: [
      { index: true, lazy: async () => ({ Component: (await import("./pages/HomePage")).default }) },
      { path: "items", lazy: async () => ({ Component: (await import("./pages/SearchPage")).default }) },
      { path: "items/:code", lazy: async () => ({ Component: (await import("./pages/GuidePage")).default }) },
      { path: "login", lazy: async () => ({ Component: (await import("./pages/LoginPage")).default }) },
      {
        path: "my/applications",
        lazy: async () => ({ Component: (await import("./pages/MyApplicationsPage")).default }),
      },
      {
        path: "my/applications/:id",
        lazy: async () => ({ Component: (await import("./pages/ApplicationPage")).default }),
      },
      ...apply,
      ...appointments,
      ...rating,
      ...hotline,
      ...enterprise,
      ...bundle,
      ...licence,
      ...offers,
      { path: "*", lazy: async () => ({ Component: (await import("./pages/NotFoundPage")).default }) },
    ],
  },
  // The self-service kiosk (自助终端) has a shell of its own: large touch targets, no account menu.
  ...kiosk,
  ...hallDisplay,
  // The staff workspace (工作台) too: a side menu of the workspaces the account's roles work in.
  ...work,
], {
  // The workspaces' pages are added when /work/… is first visited: staff routes stay out of the
  // citizens' first page.
  patchRoutesOnNavigation: ({ path, patch }) => patchStaffRoutes(path, patch),
});
