import { QueryClient } from "@tanstack/react-query";
import { createApi } from "./api/client";
import { ApiError } from "./api/errors";
import i18n from "./i18n";

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // Problems (4xx) are answers, not hiccups: retry only when the platform did not answer or was down.
      retry: (count, error) => count < 2 && error instanceof ApiError && (error.status === 0 || error.status >= 502),
    },
  },
});

/** The app's API client, session and logout-everywhere, wired to the browser. */
export const { api, plain, session, endSession } = createApi({
  baseUrl: "/",
  fetch: (request) => fetch(request),
  storage: window.sessionStorage,
  language: () => i18n.language,
  onSessionEnded: () => queryClient.clear(),
});

/** Query keys of personal data start with "my"; they are dropped whenever the session ends. */
export const MY = "my";

// The session ended (here, in another tab, or by a refused refresh): drop cached personal data.
session.subscribe(() => {
  if (session.accessToken === null) queryClient.removeQueries({ queryKey: [MY] });
});
