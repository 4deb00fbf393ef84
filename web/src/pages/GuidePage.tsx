import { useEffect } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { Alert, Breadcrumb, Button, Descriptions, Empty, Grid, Skeleton, Space, Table, Tag } from "antd";
import { FormOutlined, PrinterOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { components } from "../api/schema";
import { api } from "../platform";
import { ApiError, unwrap } from "../api/errors";
import { ErrorAlert } from "../components/ErrorAlert";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { codeLabel } from "../lib/labels";
import { formatDate } from "../lib/format";
// Types and one pure function of the apply area (no texts, no components): the page's chunk stays small.
import { canApplyOnline } from "../areas/apply/model";

type Guide = components["schemas"]["catalog__GuideRead"];
type Material = Guide["materials"][number];
type Limit = components["schemas"]["catalog__GuideLimitRead"];

/** Report the view once per mount for the guide → application conversion indicator (好差评). */
function useGuideView(code: string | undefined, loaded: boolean) {
  useEffect(() => {
    if (!code || !loaded) return;
    // Best effort: a 429 (more than the per-minute allowance) or an outage must not disturb reading.
    void api.POST("/api/evaluation/v1/guide-views", { body: { item_code: code } }).catch(() => undefined);
  }, [code, loaded]);
}

function LimitText({ limit }: { limit: Limit | null }) {
  const { t } = useTranslation();
  if (!limit) return <>—</>;
  if (limit.on_the_spot) return <>{t("guide.onTheSpot")}</>;
  return (
    <>
      {t("guide.limitValue", { value: limit.value, unit: codeLabel(t, "limitUnit", limit.unit.code, limit.unit.label) })}
      {limit.note ? `（${limit.note}）` : ""}
    </>
  );
}

/** On a phone each material is a block of its own; a table would scroll sideways. */
function MaterialList({ materials }: { materials: Material[] }) {
  const { t } = useTranslation();
  return (
    <ol className="material-list">
      {materials.map((m) => (
        <li key={m.name} className="material">
          <strong>{m.name}</strong>
          <div className="material-tags">
            <Tag>{codeLabel(t, "requirement", m.requirement.code, m.requirement.label)}</Tag>
            {m.exempt ? <Tag color="green">{t("guide.exemptYes")}</Tag> : null}
          </div>
          <div className="muted">
            {m.media.map((x) => codeLabel(t, "medium", x.code, x.label)).join("、")}
            {m.media.length > 0 ? " · " : ""}
            {t("guide.copies", { originals: m.originals, copies: m.copies })}
          </div>
          {m.exempt && m.exempt_source ? <div className="muted">{m.exempt_source}</div> : null}
          {m.condition ? <div className="muted">{t("guide.materialCondition", { condition: m.condition })}</div> : null}
          {m.source ? <div className="muted">{t("guide.materialSource", { source: m.source })}</div> : null}
          {m.notes ? <div className="muted">{m.notes}</div> : null}
          {m.blank_form_url || m.sample_form_url ? (
            <Space size="middle" className="no-print">
              {m.blank_form_url ? <a href={m.blank_form_url}>{t("guide.blankForm")}</a> : null}
              {m.sample_form_url ? <a href={m.sample_form_url}>{t("guide.sampleForm")}</a> : null}
            </Space>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

function Materials({ materials }: { materials: Material[] }) {
  const { t } = useTranslation();
  const phone = !Grid.useBreakpoint().md;
  if (materials.length === 0) return <p>{t("guide.noMaterials")}</p>;
  if (phone) return <MaterialList materials={materials} />;
  return (
    <Table<Material>
      className="materials"
      size="small"
      pagination={false}
      rowKey={(m) => m.name}
      dataSource={materials}
      scroll={{ x: 640 }}
      columns={[
        { title: "#", key: "no", width: 44, render: (_v, _m, i) => i + 1 },
        {
          title: t("guide.material"),
          dataIndex: "name",
          render: (_v, m) => (
            <div>
              <strong>{m.name}</strong>
              {m.condition ? <div className="muted">{t("guide.materialCondition", { condition: m.condition })}</div> : null}
              {m.source ? <div className="muted">{t("guide.materialSource", { source: m.source })}</div> : null}
              {m.notes ? <div className="muted">{m.notes}</div> : null}
              {m.blank_form_url || m.sample_form_url ? (
                <Space size="middle" className="no-print">
                  {m.blank_form_url ? <a href={m.blank_form_url}>{t("guide.blankForm")}</a> : null}
                  {m.sample_form_url ? <a href={m.sample_form_url}>{t("guide.sampleForm")}</a> : null}
                </Space>
              ) : null}
            </div>
          ),
        },
        {
          title: t("guide.requirement"),
          key: "requirement",
          width: 110,
          render: (_v, m) => codeLabel(t, "requirement", m.requirement.code, m.requirement.label),
        },
        {
          title: t("guide.mediaAndCopies"),
          key: "media",
          width: 170,
          render: (_v, m) => (
            <>
              {m.media.map((x) => codeLabel(t, "medium", x.code, x.label)).join("、") || "—"}
              <div className="muted">{t("guide.copies", { originals: m.originals, copies: m.copies })}</div>
            </>
          ),
        },
        {
          title: t("guide.exempt"),
          key: "exempt",
          width: 140,
          render: (_v, m) =>
            m.exempt ? (
              <>
                <Tag color="green">{t("guide.exemptYes")}</Tag>
                {m.exempt_source ? <div className="muted">{m.exempt_source}</div> : null}
              </>
            ) : (
              t("guide.exemptNo")
            ),
        },
      ]}
    />
  );
}

function GuideBody({ guide }: { guide: Guide }) {
  const { t } = useTranslation();
  const exempt = guide.materials.filter((m) => m.exempt).length;
  return (
    <>
      {guide.demo ? <Alert type="warning" showIcon message={t("guide.demoData")} className="section" /> : null}
      <section className="section" aria-labelledby="g-basic">
        <h2 id="g-basic">{t("guide.basic")}</h2>
        <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }}>
          <Descriptions.Item label={t("guide.itemType")}>
            {codeLabel(t, "itemType", guide.item_type.code, guide.item_type.label)}
          </Descriptions.Item>
          <Descriptions.Item label={t("guide.unit")}>{guide.implementing_unit.name}</Descriptions.Item>
          <Descriptions.Item label={t("guide.code")}>{guide.meta.code ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("guide.level")}>{codeLabel(t, "level", guide.level.code, guide.level.label)}</Descriptions.Item>
          <Descriptions.Item label={t("guide.serviceObjects")}>
            {guide.service_objects.map((o) => codeLabel(t, "serviceObject", o.code, o.label)).join("、") || "—"}
          </Descriptions.Item>
          <Descriptions.Item label={t("guide.handlingType")}>
            {guide.handling_type ? codeLabel(t, "handlingType", guide.handling_type.code, guide.handling_type.label) : "—"}
          </Descriptions.Item>
          <Descriptions.Item label={t("guide.handlingForms")}>
            {guide.handling_forms.map((f) => codeLabel(t, "handlingForm", f.code, f.label)).join("、") || "—"}
          </Descriptions.Item>
          <Descriptions.Item label={t("guide.onlineDepth")}>
            {guide.online_depth ? codeLabel(t, "onlineDepth", guide.online_depth.code, guide.online_depth.label) : "—"}
          </Descriptions.Item>
          <Descriptions.Item label={t("guide.visits")}>
            {guide.visits === 0 ? t("catalog.zeroVisit") : guide.visits_text || "—"}
            {guide.visits_reason ? <div className="muted">{guide.visits_reason}</div> : null}
          </Descriptions.Item>
          {guide.community_kind ? (
            <Descriptions.Item label={t("guide.communityKind")}>
              {codeLabel(t, "communityKind", guide.community_kind.code, guide.community_kind.label)}
            </Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t("guide.services")}>
            <Space wrap size={4}>
              {guide.appointment_supported ? <Tag>{t("guide.appointment")}</Tag> : null}
              {guide.online_payment_supported ? <Tag>{t("guide.onlinePayment")}</Tag> : null}
              {guide.post_delivery_supported ? <Tag>{t("guide.postDelivery")}</Tag> : null}
              {!guide.appointment_supported && !guide.online_payment_supported && !guide.post_delivery_supported ? "—" : null}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t("guide.version")}>
            {t("guide.versionText", { version: guide.meta.version_no ?? "—", date: formatDate(guide.meta.published_at) })}
          </Descriptions.Item>
        </Descriptions>
      </section>

      {guide.acceptance_conditions ? (
        <section className="section" aria-labelledby="g-cond">
          <h2 id="g-cond">{t("guide.conditions")}</h2>
          <p className="prewrap">{guide.acceptance_conditions}</p>
          {guide.quantity_limit ? (
            <p className="prewrap">
              {t("guide.quantityLimit")}：{guide.quantity_limit}
            </p>
          ) : null}
        </section>
      ) : null}

      <section className="section" aria-labelledby="g-materials">
        <h2 id="g-materials">{t("guide.materials")}</h2>
        <p className="muted-p">
          {t("guide.materialsSummary", { count: guide.materials.length, exempt })}
        </p>
        <Materials materials={guide.materials} />
      </section>

      <section className="section" aria-labelledby="g-limits">
        <h2 id="g-limits">{t("guide.limitsAndFees")}</h2>
        <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}>
          <Descriptions.Item label={t("guide.legalLimit")}>
            <LimitText limit={guide.legal_limit} />
          </Descriptions.Item>
          <Descriptions.Item label={t("guide.promisedLimit")}>
            <LimitText limit={guide.promised_limit} />
          </Descriptions.Item>
          <Descriptions.Item label={t("guide.fees")} span={2}>
            {guide.fees.charged ? t("guide.charged") : t("guide.free")}
            {guide.fees.items.map((f) => (
              <div key={f.name} className="fee">
                <strong>{f.name}</strong>
                {f.standard ? `：${f.standard}` : ""}
                {f.basis ? <div className="muted">{t("guide.feeBasis", { basis: f.basis })}</div> : null}
              </div>
            ))}
          </Descriptions.Item>
        </Descriptions>
      </section>

      <section className="section" aria-labelledby="g-place">
        <h2 id="g-place">{t("guide.placeAndHours")}</h2>
        <Descriptions bordered size="small" column={1}>
          <Descriptions.Item label={t("guide.place")}>{guide.place?.text || "—"}</Descriptions.Item>
          <Descriptions.Item label={t("guide.hours")}>
            <span className="prewrap">{guide.hours || "—"}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t("guide.enquiryPhone")}>
            {guide.enquiry_phone ? <a href={`tel:${guide.enquiry_phone}`}>{guide.enquiry_phone}</a> : "—"}
          </Descriptions.Item>
          <Descriptions.Item label={t("guide.supervisionPhone")}>
            {guide.supervision_phone ? <a href={`tel:${guide.supervision_phone}`}>{guide.supervision_phone}</a> : "—"}
          </Descriptions.Item>
        </Descriptions>
      </section>

      {guide.process.length > 0 ? (
        <section className="section" aria-labelledby="g-process">
          <h2 id="g-process">{t("guide.process")}</h2>
          <ol className="process">
            {guide.process.map((p, i) => (
              <li key={`${p.step.code}-${i}`}>
                <strong>{codeLabel(t, "processStep", p.step.code, p.step.label)}</strong>
                {p.actor ? <span className="muted">（{p.actor}）</span> : null}
                {p.time_limit ? (
                  <span className="muted">
                    {" "}
                    · <LimitText limit={p.time_limit} />
                  </span>
                ) : null}
                {p.description ? <div className="prewrap">{p.description}</div> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {guide.special_steps.length > 0 ? (
        <section className="section" aria-labelledby="g-special">
          <h2 id="g-special">{t("guide.specialSteps")}</h2>
          <ul>
            {guide.special_steps.map((s, i) => (
              <li key={i}>
                <strong>{s.kind.label}</strong>
                {s.time_limit ? (
                  <span className="muted">
                    {" "}
                    · <LimitText limit={s.time_limit} />
                  </span>
                ) : null}
                {s.description ? <div>{s.description}</div> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="section" aria-labelledby="g-result">
        <h2 id="g-result">{t("guide.result")}</h2>
        <p>
          {guide.result.name || "—"}
          {guide.result.sample_url ? (
            <a className="no-print result-sample" href={guide.result.sample_url}>
              {t("guide.resultSample")}
            </a>
          ) : null}
        </p>
      </section>

      {guide.faq.length > 0 ? (
        <section className="section" aria-labelledby="g-faq">
          <h2 id="g-faq">{t("guide.faq")}</h2>
          <dl className="faq">
            {guide.faq.map((f, i) => (
              <div key={i} className="faq-entry">
                <dt>{f.question}</dt>
                <dd className="prewrap">{f.answer}</dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}

      {guide.legal_basis.length > 0 ? (
        <section className="section" aria-labelledby="g-law">
          <h2 id="g-law">{t("guide.legalBasis")}</h2>
          <ul>
            {guide.legal_basis.map((l, i) => (
              <li key={i}>
                {/^《.*》$/.test(l.law) ? l.law : `《${l.law}》`}
                {l.article ?? ""}
                {l.text ? <div className="muted prewrap">{l.text}</div> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

export default function GuidePage() {
  const { code } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const guide = useQuery({
    queryKey: ["guide", code],
    queryFn: () => unwrap(api.GET("/api/catalog/v1/items/{code}/guide", { params: { path: { code: code ?? "" } } })),
    enabled: Boolean(code),
  });
  useDocumentTitle(guide.data ? t("guide.titleOf", { name: guide.data.name }) : t("guide.title"));
  useGuideView(code, guide.isSuccess);
  const notFound = guide.error instanceof ApiError && guide.error.status === 404;

  return (
    <div className="page guide">
      <Breadcrumb
        className="no-print"
        items={[{ title: <Link to="/">{t("nav.home")}</Link> }, { title: <Link to="/items">{t("nav.items")}</Link> }, { title: guide.data?.name ?? t("guide.title") }]}
      />
      <div className="guide-head">
        <h1 tabIndex={-1}>{guide.data ? guide.data.name : t("guide.title")}</h1>
        {guide.data ? (
          <Space className="no-print" wrap>
            {canApplyOnline(guide.data) && code ? (
              <Button
                type="primary"
                size="large"
                icon={<FormOutlined aria-hidden />}
                href={`/apply/${encodeURIComponent(code)}`}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(`/apply/${encodeURIComponent(code)}`);
                }}
              >
                {t("nav.apply")}
              </Button>
            ) : null}
            <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
              {t("guide.print")}
            </Button>
            <a href={guide.data.html_url} target="_blank" rel="noopener noreferrer">
              {t("guide.printable")}
            </a>
          </Space>
        ) : null}
      </div>
      {guide.data ? <p className="print-only">{t("guide.printHeader", { unit: guide.data.implementing_unit.name })}</p> : null}
      {guide.isPending ? <Skeleton active paragraph={{ rows: 12 }} /> : null}
      {notFound ? <Empty description={t("guide.notFound")} /> : null}
      {guide.isError && !notFound ? <ErrorAlert error={guide.error} onRetry={() => void guide.refetch()} /> : null}
      {guide.data ? <GuideBody guide={guide.data} /> : null}
    </div>
  );
}
