import { Link, useParams } from "react-router";
import { Alert, Descriptions, Result, Skeleton, Tag } from "antd";
import { CheckCircleFilled, CloseCircleFilled } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { codeLabel } from "../../lib/labels";
import { formatDate, formatDateTime } from "../../lib/format";
import { dataLines, licenceColor } from "./model";
import "./licence.css";

/** A licence its holder shared (亮证): what they chose to show, and whether it is valid today. */
export default function SharedPage() {
  const { t } = useTranslation("licence");
  const { code = "" } = useParams();
  useDocumentTitle(t("shared.title"));
  const query = useQuery({
    queryKey: ["shared-licence", code],
    queryFn: () => unwrap(api.GET("/api/licence/v1/shared/{code}", { params: { path: { code } } })),
    retry: false,
  });
  const gone = query.error instanceof ApiError && query.error.status === 404;
  const l = query.data;
  return (
    <div className="page licence-shared">
      <h1 tabIndex={-1}>{t("shared.title")}</h1>
      {query.isPending ? <Skeleton active paragraph={{ rows: 6 }} /> : null}
      {gone ? <Result status="warning" title={t("shared.gone")} subTitle={t("shared.goneHint")} extra={<Link to="/verify">{t("shared.back")}</Link>} /> : null}
      {query.isError && !gone ? <ErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      {l ? (
        <>
          <Alert
            type={l.valid ? "success" : "error"}
            showIcon
            icon={l.valid ? <CheckCircleFilled aria-hidden /> : <CloseCircleFilled aria-hidden />}
            className="section"
            message={l.valid ? t("shared.valid") : t("shared.invalid")}
            description={t("shared.until", { at: formatDateTime(l.share_expires_at) })}
          />
          <section className="section licence-card" aria-labelledby="s-facts">
            <h2 id="s-facts">{l.type_name}</h2>
            <Descriptions size="small" bordered column={{ xs: 1, sm: 1, md: 2 }}>
              <Descriptions.Item label={t("field.status")}>
                <Tag color={licenceColor(l.status)}>{codeLabel(t, "licenceStatus", l.status, l.status_name)}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t("field.number")}>
                <span className="licence-no">{l.number}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t("field.holder")}>{l.holder_name}</Descriptions.Item>
              <Descriptions.Item label={t("field.issuer")}>{l.issuing_unit_name}</Descriptions.Item>
              <Descriptions.Item label={t("field.validity")}>
                {formatDate(l.valid_from)} — {l.valid_until ? formatDate(l.valid_until) : t("field.noEnd")}
              </Descriptions.Item>
              {dataLines(l.data).map((d) => (
                <Descriptions.Item key={d.label} label={d.label}>
                  {d.value}
                </Descriptions.Item>
              ))}
            </Descriptions>
            <p className="muted-p licence-sig">{t("shared.signature", { kid: l.signature.key_id, sha: l.signature.rendering_sha256.slice(0, 16) })}</p>
          </section>
        </>
      ) : null}
    </div>
  );
}
