import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { Result } from "antd";
import { useTranslation } from "react-i18next";
import { useSession } from "../auth/useSession";

/** A citizen's own pages: log in first; a staff account is told these pages are not theirs. */
export function RequireCitizen({ children }: { children: ReactNode }) {
  const { claims } = useSession();
  const location = useLocation();
  const { t } = useTranslation();
  if (!claims) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (claims.kind !== "person") return <Result status="403" title={t("errors.citizensOnly")} subTitle={t("errors.citizensOnlyHint")} />;
  return <>{children}</>;
}
