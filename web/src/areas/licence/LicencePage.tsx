import { useState } from "react";
import { Link, useParams } from "react-router";
import { Alert, Breadcrumb, Button, Descriptions, Empty, Form, Input, List, Popconfirm, Select, Skeleton, Table, Tag, Typography } from "antd";
import { DownloadOutlined, EyeOutlined, ShareAltOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { components } from "../../api/schema";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RequireCitizen } from "../../components/RequireCitizen";
import { UnitName } from "../../components/UnitName";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { codeLabel } from "../../lib/labels";
import { formatDate, formatDateTime } from "../../lib/format";
import { dataLines, licenceColor, SHARE_HOURS, shareLink, type Licence } from "./model";
import "./licence.css";

type ShareCreated = components["schemas"]["licence__ShareCreated"];
const KEYS = {
  one: (id: string) => [MY, "licence", id] as const,
  shares: (id: string) => [MY, "licence", id, "shares"] as const,
  uses: (id: string) => [MY, "licence", id, "uses"] as const,
};

/** The signed rendering (PDF): fetched with the token, then opened or saved from a blob URL. */
function Rendering({ licence }: { licence: Licence }) {
  const { t } = useTranslation("licence");
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fetchPdf = async (): Promise<string | null> => {
    setBusy(true);
    setError(null);
    try {
      const blob = await unwrap(
        api.GET("/api/licence/v1/licences/{licence_id}/rendering", { params: { path: { licence_id: licence.id } }, parseAs: "blob" }),
      );
      return URL.createObjectURL(new Blob([blob as Blob], { type: "application/pdf" }));
    } catch (e) {
      setError(errorText(e));
      return null;
    } finally {
      setBusy(false);
    }
  };
  const open = async () => {
    const tab = window.open("", "_blank");
    const url = await fetchPdf();
    if (url && tab) tab.location.href = url;
    else tab?.close();
    if (url) window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  const download = async () => {
    const url = await fetchPdf();
    if (!url) return;
    const a = document.createElement("a");
    a.href = url;
    a.download = `${licence.type_name}-${licence.number}.pdf`;
    a.click();
    window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  return (
    <section className="section licence-card" aria-labelledby="l-rendering">
      <h2 id="l-rendering">{t("rendering.title")}</h2>
      <p className="muted-p">{t("rendering.hint")}</p>
      <div className="licence-actions">
        <Button icon={<EyeOutlined aria-hidden />} loading={busy} onClick={() => void open()}>
          {t("rendering.open")}
        </Button>
        <Button icon={<DownloadOutlined aria-hidden />} loading={busy} onClick={() => void download()}>
          {t("rendering.download")}
        </Button>
      </div>
      {error ? <Alert type="error" showIcon message={error} className="section" /> : null}
      <Descriptions size="small" column={1} className="licence-signature">
        <Descriptions.Item label={t("rendering.algorithm")}>{licence.signature.algorithm}</Descriptions.Item>
        <Descriptions.Item label={t("rendering.key")}>{licence.signature.key_id}</Descriptions.Item>
        <Descriptions.Item label={t("rendering.sha256")}>
          <Typography.Text className="licence-hash" copyable>
            {licence.signature.rendering_sha256}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
    </section>
  );
}

/** 亮证/分享: a time-limited code to give; listed with how often it was opened; withdrawn at will. */
function Shares({ licence }: { licence: Licence }) {
  const { t } = useTranslation("licence");
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ purpose?: string; valid_hours: number }>();
  const [created, setCreated] = useState<ShareCreated | null>(null);
  const [messages, setMessages] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const shares = useQuery({
    queryKey: KEYS.shares(licence.id),
    queryFn: () => unwrap(api.GET("/api/licence/v1/licences/{licence_id}/shares", { params: { path: { licence_id: licence.id }, query: { limit: 50 } } })),
  });
  const create = async (v: { purpose?: string; valid_hours: number }) => {
    setBusy(true);
    setMessages([]);
    try {
      const share = await unwrap(
        api.POST("/api/licence/v1/licences/{licence_id}/shares", {
          params: { path: { licence_id: licence.id } },
          body: { purpose: v.purpose?.trim() || null, valid_hours: v.valid_hours },
        }),
      );
      setCreated(share);
      form.resetFields();
      await queryClient.invalidateQueries({ queryKey: KEYS.shares(licence.id) });
    } catch (e) {
      if (e instanceof ApiError && e.problem) setMessages(applyProblemToForm(form, e.problem, ["purpose", "valid_hours"]));
      else setMessages([errorText(e)]);
    } finally {
      setBusy(false);
    }
  };
  const withdraw = async (shareId: string) => {
    setMessages([]);
    try {
      await unwrap(
        api.POST("/api/licence/v1/licences/{licence_id}/shares/{share_id}/withdraw", { params: { path: { licence_id: licence.id, share_id: shareId } } }),
      );
      if (created?.id === shareId) setCreated(null);
      await queryClient.invalidateQueries({ queryKey: KEYS.shares(licence.id) });
    } catch (e) {
      setMessages([errorText(e)]);
    }
  };
  const link = created ? shareLink(window.location.origin, created.code) : "";
  return (
    <section className="section licence-card" aria-labelledby="l-shares">
      <h2 id="l-shares">{t("share.title")}</h2>
      <p className="muted-p">{t("share.hint")}</p>
      {licence.status === "valid" ? (
        <Form form={form} layout="vertical" name="share" className="licence-share-form" initialValues={{ valid_hours: 24 }} onFinish={(v) => void create(v)}>
          <Form.Item name="purpose" label={t("share.purpose")} extra={t("share.purposeHint")}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="valid_hours" label={t("share.validFor")}>
            <Select options={SHARE_HOURS.map((h) => ({ value: h, label: t(`share.hours.${h}`) }))} />
          </Form.Item>
          <Form.Item label=" " className="licence-share-button">
            <Button type="primary" htmlType="submit" icon={<ShareAltOutlined aria-hidden />} loading={busy}>
              {t("share.create")}
            </Button>
          </Form.Item>
        </Form>
      ) : (
        <Alert type="warning" showIcon message={t("share.notValid")} className="section" />
      )}
      <ProblemAlert messages={messages} title={t("share.problems")} />
      {created ? (
        <Alert
          type="success"
          showIcon
          role="status"
          className="section"
          message={t("share.created", { at: formatDateTime(created.expires_at) })}
          description={
            <div className="licence-created">
              <div>
                {t("share.code")}：<Typography.Text strong copyable className="licence-code">{created.code}</Typography.Text>
              </div>
              <div className="licence-link">
                {t("share.link")}：<Typography.Text copyable>{link}</Typography.Text>
              </div>
              <div className="muted">{t("share.once")}</div>
            </div>
          }
        />
      ) : null}
      {shares.isError ? <ErrorAlert error={shares.error} onRetry={() => void shares.refetch()} /> : null}
      {shares.data && shares.data.items.length === 0 ? <p className="muted-p">{t("share.none")}</p> : null}
      {shares.data && shares.data.items.length > 0 ? (
        <List
          size="small"
          className="licence-shares"
          dataSource={shares.data.items}
          rowKey="id"
          renderItem={(s) => (
            <List.Item
              actions={
                s.active
                  ? [
                      <Popconfirm key="w" title={t("share.withdrawConfirm")} okText={t("share.withdraw")} cancelText={t("share.cancel")} onConfirm={() => withdraw(s.id)}>
                        <Button size="small" danger>
                          {t("share.withdraw")}
                        </Button>
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                title={
                  <span className="licence-share-title">
                    {s.purpose ?? t("share.noPurpose")}{" "}
                    <Tag color={s.active ? "green" : "default"}>{s.withdrawn_at ? t("share.withdrawn") : s.active ? t("share.active") : t("share.expired")}</Tag>
                  </span>
                }
                description={t("share.line", { created: formatDateTime(s.created_at), expires: formatDateTime(s.expires_at), count: s.opened_count })}
              />
            </List.Item>
          )}
        />
      ) : null}
    </section>
  );
}

/** 用证记录: which staff of which unit used the licence for which case, and when. */
function Uses({ licence }: { licence: Licence }) {
  const { t } = useTranslation("licence");
  const uses = useQuery({
    queryKey: KEYS.uses(licence.id),
    queryFn: () => unwrap(api.GET("/api/licence/v1/licences/{licence_id}/uses", { params: { path: { licence_id: licence.id }, query: { limit: 100 } } })),
  });
  return (
    <section className="section licence-card" aria-labelledby="l-uses">
      <h2 id="l-uses">{t("uses.title")}</h2>
      <p className="muted-p">{t("uses.hint")}</p>
      {uses.isPending ? <Skeleton active /> : null}
      {uses.isError ? <ErrorAlert error={uses.error} onRetry={() => void uses.refetch()} /> : null}
      {uses.data && uses.data.items.length === 0 ? <p className="muted-p">{t("uses.none")}</p> : null}
      {uses.data && uses.data.items.length > 0 ? (
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          scroll={{ x: true }}
          dataSource={uses.data.items}
          columns={[
            { title: t("uses.when"), dataIndex: "used_at", render: (v: string) => formatDateTime(v) },
            { title: t("uses.unit"), dataIndex: "staff_unit_code", render: (v: string | null) => (v ? <UnitName code={v} /> : "—") },
            {
              title: t("uses.case"),
              key: "case",
              render: (_: unknown, u) => (
                <>
                  <div>{u.item_name ?? "—"}</div>
                  <div className="muted">{u.application_no ?? u.application_id}</div>
                </>
              ),
            },
            { title: t("uses.purpose"), dataIndex: "purpose", render: (v: string | null) => v ?? "—" },
            { title: t("uses.seen"), dataIndex: "status_seen", render: (v: Licence["status"]) => codeLabel(t, "licenceStatus", v) },
          ]}
        />
      ) : null}
    </section>
  );
}

function View() {
  const { t } = useTranslation("licence");
  const { id = "" } = useParams();
  const query = useQuery({
    queryKey: KEYS.one(id),
    queryFn: () => unwrap(api.GET("/api/licence/v1/licences/{licence_id}", { params: { path: { licence_id: id } } })),
  });
  const l = query.data;
  useDocumentTitle(l?.type_name ?? t("one.title"));
  const notFound = query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 403);
  return (
    <div className="page licence-page">
      <Breadcrumb items={[{ title: <Link to="/my/licences">{t("mine.title")}</Link> }, { title: l?.type_name ?? t("one.title") }]} />
      <h1 tabIndex={-1}>{l?.type_name ?? t("one.title")}</h1>
      {query.isPending ? <Skeleton active paragraph={{ rows: 8 }} /> : null}
      {notFound ? <Empty description={t("one.notFound")} /> : null}
      {query.isError && !notFound ? <ErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      {l ? (
        <>
          {l.status !== "valid" ? (
            <Alert type={l.status === "expired" ? "info" : "error"} showIcon className="section" message={t(`one.state.${l.status}`)} description={l.status_reason ?? undefined} />
          ) : null}
          <section className="section licence-card" aria-labelledby="l-facts">
            <h2 id="l-facts">{t("one.facts")}</h2>
            <Descriptions size="small" bordered column={{ xs: 1, sm: 1, md: 2 }}>
              <Descriptions.Item label={t("field.status")}>
                <Tag color={licenceColor(l.status)}>{codeLabel(t, "licenceStatus", l.status, l.status_name)}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t("field.number")}>
                <span className="licence-no">{l.number}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t("field.type")}>{`${l.type_name}（${l.type_code}）`}</Descriptions.Item>
              <Descriptions.Item label={t("field.holder")}>{l.holder_name}</Descriptions.Item>
              <Descriptions.Item label={t("field.validity")}>
                {formatDate(l.valid_from)} — {l.valid_until ? formatDate(l.valid_until) : t("field.noEnd")}
              </Descriptions.Item>
              <Descriptions.Item label={t("field.issuer")}>{l.issuing_unit_name}</Descriptions.Item>
              <Descriptions.Item label={t("field.issuedAt")}>{formatDateTime(l.issued_at)}</Descriptions.Item>
              {l.application_no ? <Descriptions.Item label={t("field.application")}>{l.application_no}</Descriptions.Item> : null}
              {dataLines(l.data).map((d) => (
                <Descriptions.Item key={d.label} label={d.label}>
                  {d.value}
                </Descriptions.Item>
              ))}
            </Descriptions>
          </section>
          <Rendering licence={l} />
          <Shares licence={l} />
          <Uses licence={l} />
        </>
      ) : null}
    </div>
  );
}

/** One licence: what it says, its signed rendering, its shares and every use of it for a case. */
export default function LicencePage() {
  return (
    <RequireCitizen>
      <View />
    </RequireCitizen>
  );
}
