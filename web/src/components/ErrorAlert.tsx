import { Alert } from "antd";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/errors";

/** The text a person reads for a failed call: the platform's own words when it sent a problem. */
export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error: unknown) => {
    if (error instanceof ApiError) {
      if (error.status === 429) {
        return error.retryAfter !== null
          ? t("errors.tooManyWithWait", { seconds: error.retryAfter })
          : t("errors.tooMany");
      }
      if (error.problem) return error.problem.detail;
      if (error.status === 0) return t("errors.network");
      if (error.status >= 500) return t("errors.server");
    }
    return t("errors.unknown");
  };
}

export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const text = useErrorText();
  const requestId = error instanceof ApiError ? error.problem?.request_id : null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      message={text(error)}
      description={requestId ? t("errors.requestId", { id: requestId }) : undefined}
      action={
        onRetry ? (
          <button type="button" className="link-button" onClick={onRetry}>
            {t("common.retry")}
          </button>
        ) : undefined
      }
    />
  );
}
