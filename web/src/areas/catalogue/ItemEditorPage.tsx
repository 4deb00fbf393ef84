import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import {
  Alert,
  App as AntApp,
  Breadcrumb,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useSession } from "../../auth/useSession";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { FindingList, FindingsContext } from "./Findings";
import { useElementSections } from "./ElementSections";
import {
  actionsFor,
  diffText,
  elementsFromForm,
  formNameOfProblemField,
  formPaths,
  placeFindings,
  SECTIONS,
  sectionCounts,
  sortFindings,
  type Elements,
  type Finding,
} from "./model";
import { StatusTag } from "./StatusTag";
import "../../staff/staff.css";
import "./catalogue.css";

const AUTOSAVE_MS = 1200;
type SaveState = { kind: "idle" } | { kind: "saving" } | { kind: "saved"; at: string } | { kind: "failed"; message: string };

/** The differences between two versions of the entry, element by element. */
function VersionDiff({ code, versions, current }: { code: string; versions: number[]; current: number }) {
  const { t } = useTranslation("catalogue");
  const older = versions.filter((n) => n < current);
  const [from, setFrom] = useState<number | undefined>(older[older.length - 1]);
  const [to, setTo] = useState<number>(current);
  const diff = useQuery({
    queryKey: [MY, "catalogue", "diff", code, from, to],
    queryFn: () =>
      unwrap(api.GET("/api/catalog/v1/items/{code}/diff", { params: { path: { code }, query: { from: from!, to } } })),
    enabled: from !== undefined,
  });
  const versionOptions = versions.map((n) => ({ value: n, label: t("work.versionNo", { no: n }) }));
  return (
    <>
      <div className="staff-toolbar">
        <label htmlFor="diff-from">{t("diff.from")}</label>
        <Select id="diff-from" value={from} onChange={setFrom} options={versionOptions} className="cat-version-select" />
        <label htmlFor="diff-to">{t("diff.to")}</label>
        <Select id="diff-to" value={to} onChange={setTo} options={versionOptions} className="cat-version-select" />
      </div>
      {from === undefined ? <Alert type="info" message={t("diff.onlyOne")} /> : null}
      {diff.isError ? <ErrorAlert error={diff.error} /> : null}
      {diff.data ? (
        <Table
          size="small"
          rowKey="path"
          pagination={false}
          scroll={{ x: true }}
          dataSource={diff.data.changes}
          locale={{ emptyText: t("diff.same") }}
          columns={[
            { title: t("diff.path"), dataIndex: "path", className: "nowrap" },
            {
              title: t("diff.before", { no: diff.data.from_version }),
              key: "before",
              render: (_, c) => <del className="cat-del">{diffText(c.before, t("common.yes"), t("common.no"))}</del>,
            },
            {
              title: t("diff.after", { no: diff.data.to_version }),
              key: "after",
              render: (_, c) => <ins className="cat-ins">{diffText(c.after, t("common.yes"), t("common.no"))}</ins>,
            },
          ]}
        />
      ) : null}
    </>
  );
}

/** Who did what to the entry, and when (留痕). */
function History({ code }: { code: string }) {
  const { t } = useTranslation("catalogue");
  const { claims } = useSession();
  const [offset, setOffset] = useState(0);
  const history = useQuery({
    queryKey: [MY, "catalogue", "history", code, offset],
    queryFn: () =>
      unwrap(api.GET("/api/catalog/v1/items/{code}/history", { params: { path: { code }, query: { limit: 50, offset } } })),
  });
  if (history.isError) return <ErrorAlert error={history.error} />;
  return (
    <Table
      size="small"
      loading={history.isPending}
      rowKey={(c) => `${c.at}-${c.action}-${c.version_no}`}
      dataSource={history.data?.items ?? []}
      scroll={{ x: true }}
      pagination={{
        current: offset / 50 + 1,
        pageSize: 50,
        total: history.data?.total ?? 0,
        showSizeChanger: false,
        onChange: (p) => setOffset((p - 1) * 50),
      }}
      columns={[
        { title: t("history.at"), key: "at", className: "nowrap", render: (_, c) => formatDateTime(c.at) },
        { title: t("work.version"), dataIndex: "version_no", className: "nowrap" },
        { title: t("history.action"), key: "action", className: "nowrap", render: (_, c) => t(`action.${c.action}`) },
        {
          title: t("history.actor"),
          key: "actor",
          className: "nowrap",
          render: (_, c) => (!c.actor_id ? t("work.system") : c.actor_id === claims?.sub ? t("work.me") : t("work.colleague")),
        },
        { title: t("history.elements"), key: "el", render: (_, c) => c.changed_elements.join("、") || "—" },
        { title: t("history.reason"), key: "reason", render: (_, c) => c.reason ?? "—" },
      ]}
    />
  );
}

/** A reason asked before an irreversible or returning step. */
function ReasonModal({
  open,
  title,
  intro,
  okText,
  danger,
  onCancel,
  onOk,
}: {
  open: boolean;
  title: string;
  intro: string;
  okText: string;
  danger?: boolean;
  onCancel: () => void;
  onOk: (reason: string) => Promise<void>;
}) {
  const { t } = useTranslation("catalogue");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={t("common.cancel")}
      okButtonProps={{ danger, disabled: reason.trim() === "" }}
      confirmLoading={busy}
      onCancel={onCancel}
      onOk={async () => {
        setBusy(true);
        try {
          await onOk(reason.trim());
          setReason("");
        } finally {
          setBusy(false);
        }
      }}
      destroyOnHidden
    >
      <p>{intro}</p>
      <label htmlFor="cat-reason" className="cat-label">
        {t("editor.reason")}
      </label>
      <Input.TextArea id="cat-reason" value={reason} onChange={(e) => setReason(e.target.value)} autoSize={{ minRows: 3 }} maxLength={4000} />
    </Modal>
  );
}

function Editor({ code }: { code: string }) {
  const { t } = useTranslation("catalogue");
  const { modal, message } = AntApp.useApp();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm();
  const [save, setSave] = useState<SaveState>({ kind: "idle" });
  const [general, setGeneral] = useState<string[]>([]);
  const [actionError, setActionError] = useState<unknown>(null);
  const [asking, setAsking] = useState<"return" | "retire" | null>(null);
  const [tab, setTab] = useState("basic");
  const [values, setValues] = useState<Record<string, unknown>>({});
  const timer = useRef<number | undefined>(undefined);
  const saving = useRef<Promise<boolean>>(Promise.resolve(true));

  const item = useQuery({
    queryKey: [MY, "catalogue", "item", code],
    queryFn: () => unwrap(api.GET("/api/catalog/v1/items/{code}", { params: { path: { code } } })),
  });
  const versions = useQuery({
    queryKey: [MY, "catalogue", "versions", code],
    queryFn: () =>
      unwrap(api.GET("/api/catalog/v1/items/{code}/versions", { params: { path: { code }, query: { limit: 100 } } })),
  });
  const newest = versions.data?.items[versions.data.items.length - 1];
  const chosen = Number(params.get("v")) || (newest && newest.status !== "retired" ? newest.version_no : item.data?.current_version_no) || undefined;
  const version = useQuery({
    queryKey: [MY, "catalogue", "version", code, chosen],
    queryFn: () =>
      unwrap(api.GET("/api/catalog/v1/items/{code}/versions/{version_no}", { params: { path: { code, version_no: chosen! } } })),
    enabled: chosen !== undefined,
  });
  const quality = useQuery({
    queryKey: [MY, "catalogue", "quality", code, chosen],
    queryFn: () =>
      unwrap(
        api.GET("/api/catalog/v1/items/{code}/versions/{version_no}/quality", { params: { path: { code, version_no: chosen! } } }),
      ),
    enabled: chosen !== undefined,
  });
  // A draft a reviewer returned: the reason, as the work list gives it (the unit's open drafts).
  const returns = useQuery({
    queryKey: [MY, "catalogue", "open-versions", "draft", item.data?.owner_unit_code],
    queryFn: () =>
      unwrap(
        api.GET("/api/catalog/v1/item-versions", {
          params: { query: { status: "draft", unit: item.data!.owner_unit_code, limit: 200 } },
        }),
      ),
    enabled: version.data?.status === "draft" && !!item.data,
  });
  const reviews = useQuery({
    queryKey: [MY, "catalogue", "open-versions", "in_review"],
    queryFn: () =>
      unwrap(api.GET("/api/catalog/v1/item-versions", { params: { query: { status: "in_review", limit: 100 } } })),
    enabled: version.data?.status === "in_review",
  });

  const v = version.data;
  const isDraft = v?.status === "draft";
  const returned = isDraft ? returns.data?.items.find((o) => o.item_code === code && o.version_no === chosen && o.returned_at) : undefined;
  const canPublish = !!reviews.data?.items.some((o) => o.item_code === code && o.version_no === chosen && o.can_publish);
  const acts = v
    ? actionsFor(v.status, {
        canPublish,
        isCurrent: item.data?.current_version_no === v.version_no,
        itemRetired: item.data?.status === "retired",
        newestIsOpen: !!newest && (newest.status === "draft" || newest.status === "in_review"),
      })
    : null;

  // The form shows the version's elements; reloaded when another version is opened.
  useEffect(() => {
    if (!v) return;
    form.resetFields();
    form.setFieldsValue(v.elements);
    setValues(v.elements as unknown as Record<string, unknown>);
    setSave({ kind: "idle" });
    setGeneral([]);
  }, [v?.item_code, v?.version_no, v?.status]); // eslint-disable-line react-hooks/exhaustive-deps

  const refresh = useCallback(async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: [MY, "catalogue"] }),
      queryClient.invalidateQueries({ queryKey: ["catalogue", "items"] }),
    ]);
  }, [queryClient]);

  /** Save the draft's elements now; true when saved. Field problems go under their fields. */
  const saveNow = useCallback(async (): Promise<boolean> => {
    if (!v || v.status !== "draft") return true;
    window.clearTimeout(timer.current);
    const run = async () => {
      setSave({ kind: "saving" });
      const elements: Elements = elementsFromForm(v.elements, form.getFieldsValue(true) as Record<string, unknown>);
      try {
        const saved = await unwrap(
          api.PUT("/api/catalog/v1/items/{code}/versions/{version_no}", {
            params: { path: { code, version_no: v.version_no } },
            body: { elements },
          }),
        );
        queryClient.setQueryData([MY, "catalogue", "version", code, v.version_no], (old: typeof saved | undefined) =>
          old ? { ...old, updated_at: saved.updated_at } : old,
        );
        setSave({ kind: "saved", at: saved.updated_at });
        setGeneral([]);
        void queryClient.invalidateQueries({ queryKey: [MY, "catalogue", "quality", code, v.version_no] });
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.problem?.errors?.length) {
          const rest: string[] = [];
          for (const e of error.problem.errors) {
            const name = formNameOfProblemField(e.field);
            if (name) form.setFields([{ name, errors: [e.message] }]);
            else rest.push(e.message);
          }
          setGeneral(rest);
        }
        setSave({ kind: "failed", message: errorText(error) });
        return false;
      }
    };
    saving.current = saving.current.then(run, run);
    return saving.current;
  }, [v, code, form, queryClient, errorText]);

  const onValuesChange = (_: unknown, all: Record<string, unknown>) => {
    setValues(all);
    if (!isDraft) return;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void saveNow(), AUTOSAVE_MS);
  };
  useEffect(() => () => window.clearTimeout(timer.current), []);

  /** Run a step (submit, publish…), then show the version it led to. */
  const step = async (run: () => Promise<{ version_no: number } | unknown>, done: string, goTo?: number) => {
    setActionError(null);
    try {
      await run();
      void message.success(done);
      await refresh();
      if (goTo !== undefined) setParams({ v: String(goTo) });
    } catch (error) {
      setActionError(error);
      await refresh();
    }
  };

  const findings: Finding[] = useMemo(() => sortFindings(quality.data?.findings ?? []), [quality.data]);
  const placed = useMemo(() => placeFindings(findings, formPaths(values)), [findings, values]);
  const counts = useMemo(() => sectionCounts(findings), [findings]);
  const sections = useElementSections(!isDraft);
  useDocumentTitle(v ? v.elements.name : t("editor.title"));

  if (item.isError) return <ErrorAlert error={item.error} onRetry={() => void item.refetch()} />;
  if (version.isError) return <ErrorAlert error={version.error} onRetry={() => void version.refetch()} />;
  if (!item.data || !v || !acts) return <Skeleton active />;

  const versionNos = (versions.data?.items ?? []).map((x) => x.version_no);
  const guideUrl = `/api/catalog/v1/items/${encodeURIComponent(code)}/guide.html?version=${v.version_no}`;

  return (
    <div className="staff-page">
      <Breadcrumb
        className="no-print"
        items={[{ title: <Link to="/work/catalogue">{t("work.title")}</Link> }, { title: v.elements.name }]}
      />
      <Typography.Title level={1} className="staff-title cat-title">
        {v.elements.name}
      </Typography.Title>
      <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }} className="cat-meta">
        <Descriptions.Item label={t("work.code")}>{code}</Descriptions.Item>
        <Descriptions.Item label={t("work.unit")}>{item.data.owner_unit_name}</Descriptions.Item>
        <Descriptions.Item label={t("editor.entryStatus")}>
          <StatusTag status={item.data.status} />
          {item.data.current_version_no && item.data.status !== "retired" ? t("editor.inForce", { no: item.data.current_version_no }) : null}
        </Descriptions.Item>
        <Descriptions.Item label={t("editor.thisVersion")}>
          <Space size={4} wrap>
            <Select
              aria-label={t("editor.chooseVersion")}
              size="small"
              value={v.version_no}
              onChange={(n) => setParams({ v: String(n) })}
              options={(versions.data?.items ?? []).map((x) => ({
                value: x.version_no,
                label: `${t("work.versionNo", { no: x.version_no })} · ${t(`status.${x.status}`)}`,
              }))}
              className="cat-version-select"
            />
          </Space>
        </Descriptions.Item>
      </Descriptions>

      <div className="staff-toolbar cat-actions no-print">
        {acts.edit ? (
          <Button onClick={() => void saveNow()} loading={save.kind === "saving"}>
            {t("editor.save")}
          </Button>
        ) : null}
        {acts.submit ? (
          <Button
            type="primary"
            onClick={() =>
              modal.confirm({
                title: t("editor.submitTitle"),
                content: quality.data?.errors ? t("editor.submitWithErrors", { count: quality.data.errors }) : t("editor.submitText"),
                okText: t("editor.submit"),
                cancelText: t("common.cancel"),
                onOk: async () => {
                  if (!(await saveNow())) return;
                  await step(
                    () =>
                      unwrap(
                        api.POST("/api/catalog/v1/items/{code}/versions/{version_no}/submit", {
                          params: { path: { code, version_no: v.version_no } },
                        }),
                      ),
                    t("editor.submitted"),
                  );
                },
              })
            }
          >
            {t("editor.submit")}
          </Button>
        ) : null}
        {acts.publish ? (
          <Button
            type="primary"
            onClick={() =>
              modal.confirm({
                title: t("editor.publishTitle"),
                content: t("editor.publishText", { no: v.version_no }),
                okText: t("editor.publish"),
                cancelText: t("common.cancel"),
                onOk: () =>
                  step(
                    () =>
                      unwrap(
                        api.POST("/api/catalog/v1/items/{code}/versions/{version_no}/publish", {
                          params: { path: { code, version_no: v.version_no } },
                        }),
                      ),
                    t("editor.published"),
                  ),
              })
            }
          >
            {t("editor.publish")}
          </Button>
        ) : null}
        {acts.returnToDraft ? <Button onClick={() => setAsking("return")}>{t("editor.return")}</Button> : null}
        {acts.newVersion ? (
          <Button
            type="primary"
            onClick={() =>
              void step(async () => {
                const created = await unwrap(api.POST("/api/catalog/v1/items/{code}/versions", { params: { path: { code } } }));
                setParams({ v: String(created.version_no) });
                return created;
              }, t("editor.newVersionDone"))
            }
          >
            {t("editor.newVersion")}
          </Button>
        ) : null}
        {v.published_at ? (
          <a href={guideUrl} target="_blank" rel="noreferrer" className="ant-btn ant-btn-default cat-link-button">
            {t("editor.guide")}
          </a>
        ) : null}
        {acts.retire ? (
          <Button danger onClick={() => setAsking("retire")}>
            {t("editor.retire")}
          </Button>
        ) : null}
        {acts.edit ? (
          <span className="muted cat-save-state" role="status" aria-live="polite">
            {save.kind === "saving"
              ? t("editor.saving")
              : save.kind === "saved"
                ? t("editor.savedAt", { at: formatDateTime(save.at) })
                : save.kind === "failed"
                  ? t("editor.saveFailed")
                  : t("editor.autosave")}
          </span>
        ) : null}
      </div>

      {item.data.status === "retired" ? (
        <Alert type="warning" showIcon className="cat-alert" message={t("editor.retiredNote")} />
      ) : null}
      {returned ? (
        <Alert
          type="warning"
          showIcon
          className="cat-alert"
          message={t("editor.returnedTitle")}
          description={
            <>
              {returned.returned_reason ? t("work.returnedReason", { reason: returned.returned_reason }) : t("work.returnedNoReason")}
              <span className="muted"> · {t("editor.returnedAt", { at: formatDateTime(returned.returned_at) })}</span>
            </>
          }
        />
      ) : null}
      {v.status === "in_review" && !canPublish && reviews.isSuccess ? (
        <Alert type="warning" showIcon className="cat-alert" message={t("editor.ownReviewTitle")} description={t("editor.ownReview")} />
      ) : null}
      {v.status === "in_review" && canPublish ? (
        <Alert type="info" showIcon className="cat-alert" message={t("editor.reviewHint")} />
      ) : null}
      {v.status === "published" && !acts.newVersion && acts.retire ? (
        <Alert type="info" showIcon className="cat-alert" message={t("editor.openExists")} />
      ) : null}
      {v.status === "published" || v.status === "retired" ? (
        <Alert
          type="info"
          showIcon
          className="cat-alert"
          message={t("editor.publishedBy", {
            at: formatDateTime(v.published_at),
            score: v.quality_score ?? "—",
          })}
        />
      ) : null}
      {actionError ? (
        <div className="cat-alert">
          <ErrorAlert error={actionError} />
        </div>
      ) : null}
      {save.kind === "failed" ? <Alert type="error" showIcon className="cat-alert" role="alert" message={save.message} /> : null}
      <ProblemAlert messages={general} title={t("editor.problems")} />

      <Card
        size="small"
        className="cat-quality"
        title={
          <h2 className="cat-card-title">
            {t("quality.title")}
            {quality.data ? (
              <span className="cat-score">
                {t("quality.score", { score: quality.data.score })} ·{" "}
                {quality.data.errors > 0 ? (
                  <Tag color="error">{t("quality.errors", { count: quality.data.errors })}</Tag>
                ) : (
                  <Tag color="success">{t("quality.noErrors")}</Tag>
                )}
              </span>
            ) : null}
          </h2>
        }
      >
        {quality.isError ? <ErrorAlert error={quality.error} /> : null}
        <p className="muted cat-quality-intro">{isDraft ? t("quality.live") : t("quality.static")}</p>
        {findings.length > 0 ? (
          <ul className="cat-quality-sections">
            {SECTIONS.filter((s) => counts.get(s.key)).map((s) => (
              <li key={s.key}>
                <Button type="link" size="small" onClick={() => setTab(s.key)}>
                  {t(`section.${s.key}`)}：{t("quality.count", { count: counts.get(s.key)!.all })}
                </Button>
              </li>
            ))}
          </ul>
        ) : null}
      </Card>

      <FindingsContext.Provider value={placed.byField}>
        <Form form={form} layout="vertical" disabled={!isDraft} onValuesChange={onValuesChange} className="cat-form">
          <nav className="cat-sections no-print" aria-label={t("editor.sections")}>
            {[...SECTIONS.map((x) => x.key), "diff", "history"].map((key) => {
              const c = counts.get(key);
              return (
                <Button
                  key={key}
                  type={tab === key ? "primary" : "default"}
                  aria-pressed={tab === key}
                  disabled={false}
                  onClick={() => setTab(key)}
                  className="cat-section-button"
                >
                  {t(`section.${key}`)}
                  {c ? (
                    <span className={c.errors > 0 ? "cat-count cat-count-error" : "cat-count"}>
                      <span className="visually-hidden">{t("quality.findingsHere")}</span>
                      {c.all}
                    </span>
                  ) : null}
                </Button>
              );
            })}
          </nav>
          {SECTIONS.map((x) => (
            <section key={x.key} hidden={tab !== x.key} aria-label={t(`section.${x.key}`)} className="cat-section">
              <h2 className="cat-section-title">{t(`section.${x.key}`)}</h2>
              <FindingList findings={placed.bySection.get(x.key)} />
              {sections[x.key]}
            </section>
          ))}
          {tab === "diff" ? (
            <section className="cat-section" aria-label={t("section.diff")}>
              <h2 className="cat-section-title">{t("section.diff")}</h2>
              <VersionDiff code={code} versions={versionNos} current={v.version_no} />
            </section>
          ) : null}
          {tab === "history" ? (
            <section className="cat-section" aria-label={t("section.history")}>
              <h2 className="cat-section-title">{t("section.history")}</h2>
              <History code={code} />
            </section>
          ) : null}
        </Form>
      </FindingsContext.Provider>

      <ReasonModal
        open={asking === "return"}
        title={t("editor.return")}
        intro={t("editor.returnText")}
        okText={t("editor.return")}
        onCancel={() => setAsking(null)}
        onOk={async (reason) => {
          await step(
            () =>
              unwrap(
                api.POST("/api/catalog/v1/items/{code}/versions/{version_no}/return", {
                  params: { path: { code, version_no: v.version_no } },
                  body: { reason },
                }),
              ),
            t("editor.returned"),
          );
          setAsking(null);
        }}
      />
      <ReasonModal
        open={asking === "retire"}
        title={t("editor.retireTitle")}
        intro={t("editor.retireText")}
        okText={t("editor.retire")}
        danger
        onCancel={() => setAsking(null)}
        onOk={async (reason) => {
          await step(() => unwrap(api.POST("/api/catalog/v1/items/{code}/retire", { params: { path: { code } }, body: { reason } })), t("editor.retired"));
          setAsking(null);
          void navigate(`/work/catalogue/items/${encodeURIComponent(code)}?v=${v.version_no}`);
        }}
      />
    </div>
  );
}

export default function ItemEditorPage() {
  const { code } = useParams();
  return code ? (
    <AntApp component={false}>
      <Editor key={code} code={code} />
    </AntApp>
  ) : null;
}
