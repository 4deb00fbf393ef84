import { useEffect } from "react";
import { Button } from "antd";
import { useTranslation } from "react-i18next";
import { isRouteErrorResponse, useRouteError } from "react-router";

/**
 * Shown when a page's code could not load (e.g. a new release replaced its chunk) or crashed.
 * Plain markup, not antd's Result: Result carries its 403/404/500 illustrations (about 10 KB gzip)
 * into the first page, and this must not itself need a chunk that may be gone.
 */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  // What crashed goes to the console (the browser journeys fail on it), not to the person.
  useEffect(() => {
    if (!notFound) console.error("page failed:", error);
  }, [error, notFound]);
  return (
    <main id="main" className="shell-main">
      <section className="route-error" aria-labelledby="route-error-title">
        <div className="route-error-mark" aria-hidden="true">
          {notFound ? "404" : "!"}
        </div>
        <h1 id="route-error-title">{notFound ? t("notFound.title") : t("errors.pageFailed")}</h1>
        <p>{notFound ? t("notFound.text") : t("errors.pageFailedHint")}</p>
        <Button type="primary" onClick={() => window.location.reload()}>
          {t("common.reload")}
        </Button>
      </section>
    </main>
  );
}
