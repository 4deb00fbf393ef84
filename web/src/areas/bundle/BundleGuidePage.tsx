import { Link, useNavigate, useParams } from "react-router";
import { Breadcrumb, Button, Empty, Skeleton } from "antd";
import { FormOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { MaterialLine, Stages } from "./parts";
import { getBundle, KEYS } from "./queries";
import "./bundle.css";

/** A bundle's guide: its items in stages, the merged list of what to bring (shared ones once). */
export default function BundleGuidePage() {
  const { t } = useTranslation("bundle");
  const { code = "" } = useParams();
  const navigate = useNavigate();
  const bundle = useQuery({ queryKey: KEYS.bundle(code), queryFn: () => getBundle(code) });
  useDocumentTitle(bundle.data?.name ?? t("list.title"));
  const notFound = bundle.error instanceof ApiError && bundle.error.status === 404;
  const b = bundle.data;
  const asked = b ? b.materials.filter((m) => !m.exempt) : [];
  const exempt = b ? b.materials.filter((m) => m.exempt) : [];
  return (
    <div className="page bundle-guide">
      <Breadcrumb items={[{ title: <Link to="/bundles">{t("list.title")}</Link> }, { title: b?.name ?? code }]} />
      <h1 tabIndex={-1}>{b?.name ?? t("list.title")}</h1>
      {bundle.isPending ? <Skeleton active paragraph={{ rows: 8 }} /> : null}
      {notFound ? <Empty description={t("guide.notFound")} /> : null}
      {bundle.isError && !notFound ? <ErrorAlert error={bundle.error} onRetry={() => void bundle.refetch()} /> : null}
      {b ? (
        <>
          {b.description ? <p className="muted-p">{b.description}</p> : null}
          <div className="bundle-figures" role="group" aria-label={t("guide.figures")}>
            <div className="bundle-figure">
              <span className="bundle-figure-value">{b.members.length}</span>
              <span>{t("guide.items")}</span>
            </div>
            <div className="bundle-figure">
              <span className="bundle-figure-value">{b.materials_asked}</span>
              <span>{t("guide.materialsAsked")}</span>
            </div>
            <div className="bundle-figure">
              <span className="bundle-figure-value">{Math.max(0, b.materials_before_merge - b.materials_asked)}</span>
              <span>{t("guide.materialsSaved", { before: b.materials_before_merge })}</span>
            </div>
            <div className="bundle-figure">
              <span className="bundle-figure-value">1</span>
              <span>{t("guide.oneSubmission")}</span>
            </div>
          </div>
          <div className="bundle-cta">
            <Button
              type="primary"
              size="large"
              icon={<FormOutlined aria-hidden />}
              href={`/bundles/${encodeURIComponent(b.code)}/apply`}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/bundles/${encodeURIComponent(b.code)}/apply`);
              }}
            >
              {t("guide.apply")}
            </Button>
            <span className="muted">{t("guide.applyHint")}</span>
          </div>
          <section className="section bundle-card" aria-labelledby="bg-stages">
            <h2 id="bg-stages">{t("guide.stages")}</h2>
            <p className="muted-p">{t("guide.stagesHint")}</p>
            <Stages members={b.members} />
          </section>
          <section className="section bundle-card" aria-labelledby="bg-materials">
            <h2 id="bg-materials">{t("guide.materials")}</h2>
            <p className="muted-p">{t("guide.materialsHint", { asked: asked.length, shared: b.materials.filter((m) => m.shared).length })}</p>
            <ol className="bundle-materials">
              {[...asked, ...exempt].map((m) => (
                <li key={m.name}>
                  <MaterialLine m={m} />
                </li>
              ))}
            </ol>
          </section>
        </>
      ) : null}
    </div>
  );
}
