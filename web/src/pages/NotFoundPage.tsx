import { Link } from "react-router";
import { Result } from "antd";
import { useTranslation } from "react-i18next";
import { useDocumentTitle } from "../lib/useDocumentTitle";

export default function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("notFound.title"));
  return (
    <div className="page">
      <Result
        status="404"
        title={<h1 tabIndex={-1}>{t("notFound.title")}</h1>}
        subTitle={t("notFound.text")}
        extra={<Link to="/">{t("notFound.home")}</Link>}
      />
    </div>
  );
}
