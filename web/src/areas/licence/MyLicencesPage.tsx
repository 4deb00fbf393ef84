import { Link } from "react-router";
import { Empty, Skeleton, Tag } from "antd";
import { SafetyCertificateOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { RequireCitizen } from "../../components/RequireCitizen";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { codeLabel } from "../../lib/labels";
import { formatDate } from "../../lib/format";
import { licenceColor } from "./model";
import "./licence.css";

function Mine() {
  const { t } = useTranslation("licence");
  useDocumentTitle(t("mine.title"));
  const list = useQuery({
    queryKey: [MY, "licences"],
    queryFn: () => unwrap(api.GET("/api/licence/v1/licences", { params: { query: { limit: 100 } } })),
  });
  return (
    <div className="page licences">
      <h1 tabIndex={-1}>{t("mine.title")}</h1>
      <p className="muted-p">
        {t("mine.intro")} <Link to="/verify">{t("mine.verifyLink")}</Link>
      </p>
      {list.isPending ? <Skeleton active paragraph={{ rows: 6 }} /> : null}
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.data && list.data.items.length === 0 ? <Empty description={t("mine.none")} /> : null}
      <ul className="licence-list">
        {(list.data?.items ?? []).map((l) => (
          <li key={l.id}>
            <Link to={`/my/licences/${encodeURIComponent(l.id)}`} className={`licence-tile licence-tile-${l.status}`}>
              <span className="licence-tile-head">
                <SafetyCertificateOutlined aria-hidden className="licence-tile-icon" />
                <span className="licence-tile-name">{l.type_name}</span>
                <Tag color={licenceColor(l.status)}>{codeLabel(t, "licenceStatus", l.status, l.status_name)}</Tag>
              </span>
              <span className="licence-tile-line">
                <span className="muted">{t("field.number")}</span> <span className="licence-no">{l.number}</span>
              </span>
              <span className="licence-tile-line">
                <span className="muted">{t("field.validity")}</span> {formatDate(l.valid_from)} — {l.valid_until ? formatDate(l.valid_until) : t("field.noEnd")}
              </span>
              <span className="licence-tile-line muted">{l.issuing_unit_name}</span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** 我的证照: the licences the library holds for the person, each with its state and validity. */
export default function MyLicencesPage() {
  return (
    <RequireCitizen>
      <Mine />
    </RequireCitizen>
  );
}
