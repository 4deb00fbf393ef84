import { createBrowserRouter } from "react-router";
import { AppShell } from "./layout/AppShell";
import { RouteError } from "./layout/RouteError";

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
      { path: "*", lazy: async () => ({ Component: (await import("./pages/NotFoundPage")).default }) },
    ],
  },
]);
