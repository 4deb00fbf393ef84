import { useEffect } from "react";
import { Button, Result } from "antd";
import { useTranslation } from "react-i18next";
import { isRouteErrorResponse, useRouteError } from "react-router";

/** Shown when a page's code could not load (e.g. a new release replaced its chunk) or crashed. */
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
      <Result
        status={notFound ? "404" : "error"}
        title={notFound ? t("notFound.title") : t("errors.pageFailed")}
        subTitle={notFound ? t("notFound.text") : t("errors.pageFailedHint")}
        extra={
          <Button type="primary" onClick={() => window.location.reload()}>
            {t("common.reload")}
          </Button>
        }
      />
    </main>
  );
}
