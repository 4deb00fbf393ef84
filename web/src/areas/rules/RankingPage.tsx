import { useState } from "react";
import { App as AntApp, Button, Card, Empty, Form, Input, InputNumber, Modal, Select, Space, Table, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { UnitName } from "../../components/UnitName";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { useMayEdit } from "./data";
import { FieldSelect, OVERLAY, RulesPage, showProblem } from "./parts";
import {
  allPages,
  byText,
  DIMENSIONS,
  formatIndicator,
  INDICATORS,
  isShare,
  rankingBody,
  recentMonths,
  RULE_NAME,
  type RankingRule,
  type RankingValues,
} from "./shared";
import type { components } from "../../api/schema";

type RankingRow = components["schemas"]["evaluation__RankingRowRead"];
const FIELDS = ["name", "title", "dimension", "indicator", "min_ratings", "min_value", "max_bad_reviews", "top_n"];
const KEY = ["rules", "ranking-rules"];
const NEW: Partial<RankingValues> = { dimension: "window", indicator: "good_rate", min_ratings: 10, top_n: 3 };

/** A new ranking rule (a name not yet taken), or a change of one (the API replaces it whole). */
function RankingForm({ rule, taken, onDone, onCancel }: { rule?: RankingRule; taken: string[]; onDone: (name: string, text: string) => void; onCancel: () => void }) {
  const { t } = useTranslation("rules");
  const [form] = Form.useForm<RankingValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const indicator = Form.useWatch("indicator", form) ?? rule?.indicator ?? "good_rate";
  const submit = async (values: RankingValues) => {
    setBusy(true);
    setGeneral([]);
    const name = rule ? rule.name : (values.name ?? "").trim();
    try {
      await unwrap(api.PUT("/api/evaluation/v1/ranking-rules/{name}", { params: { path: { name } }, body: rankingBody(values) }));
      onDone(name, rule ? t("saved") : t("rank.created"));
    } catch (error) {
      setGeneral(showProblem(form, error, FIELDS, t("failed")));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form<RankingValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={rule ?? NEW}>
      <ProblemAlert messages={general} title={t("problems")} />
      {rule ? null : (
        <Form.Item
          name="name"
          label={t("rank.name")}
          extra={t("rank.nameHint")}
          rules={[
            { required: true, message: t("rank.nameNeeded") },
            { pattern: RULE_NAME, message: t("rank.namePattern") },
            // PUT on a name in use replaces that rule: a new rule must not overwrite one by accident.
            { validator: async (_, v?: string) => (v && taken.includes(v.trim()) ? Promise.reject(new Error(t("rank.nameTaken"))) : undefined) },
          ]}
        >
          <Input maxLength={40} autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item name="title" label={t("rank.titleField")} rules={[{ required: true, whitespace: true, message: t("rank.titleNeeded") }]}>
        <Input maxLength={100} />
      </Form.Item>
      <div className="rules-pair">
        <Form.Item name="dimension" label={t("rank.dimension")} rules={[{ required: true }]}>
          <FieldSelect options={DIMENSIONS.map((d) => ({ value: d, label: t(`rank.dimensions.${d}`) }))} />
        </Form.Item>
        <Form.Item name="indicator" label={t("rank.indicator")} rules={[{ required: true }]}>
          <FieldSelect showSearch optionFilterProp="label" options={INDICATORS.map((i) => ({ value: i, label: t(`rank.indicators.${i}`) }))} />
        </Form.Item>
      </div>
      <div className="rules-pair">
        <Form.Item name="min_ratings" label={t("rank.minRatings")} rules={[{ required: true, message: t("rank.minRatingsNeeded") }]}>
          <InputNumber precision={0} className="rules-number" />
        </Form.Item>
        <Form.Item name="top_n" label={t("rank.topN")} rules={[{ required: true, message: t("rank.topNNeeded") }]}>
          <InputNumber precision={0} className="rules-number" />
        </Form.Item>
      </div>
      <div className="rules-pair">
        <Form.Item name="min_value" label={t("rank.minValue")} extra={isShare(indicator) ? t("rank.minValueShare") : t("rank.minValuePlain")}>
          <InputNumber className="rules-number" />
        </Form.Item>
        <Form.Item name="max_bad_reviews" label={t("rank.maxBad")} extra={t("rank.noLimit")}>
          <InputNumber precision={0} className="rules-number" />
        </Form.Item>
      </div>
      <div className="staff-toolbar">
        <Button type="primary" htmlType="submit" loading={busy}>
          {rule ? t("save") : t("rank.create")}
        </Button>
        <Button onClick={onCancel}>{t("cancel")}</Button>
      </div>
    </Form>
  );
}

/** Who a ranking row is: its name when evaluation knows it, a unit or window by name, else the key. */
function Ranked({ rule, row }: { rule: RankingRule; row: RankingRow }) {
  if (row.name) return <>{row.name}</>;
  if (rule.dimension === "unit" || rule.dimension === "window") return <UnitName code={row.key} />;
  return <>{row.key}</>;
}

/** The ranking a rule yields for a month (GET rankings/{name}): what a change of the rule does. */
function Preview({ rule }: { rule: RankingRule }) {
  const { t } = useTranslation("rules");
  const months = recentMonths(new Date(), 12);
  const [month, setMonth] = useState(months[0]!);
  const ranking = useQuery({
    queryKey: ["rules", "ranking", rule.name, month, rule],
    queryFn: () => unwrap(api.GET("/api/evaluation/v1/rankings/{name}", { params: { path: { name: rule.name }, query: { month } } })),
  });
  return (
    <Card
      size="small"
      className="rules-gap"
      title={<h2 className="rules-card-title">{t("rank.previewOf", { title: rule.title })}</h2>}
      extra={<Select aria-label={t("rank.month")} value={month} onChange={setMonth} options={months.map((m) => ({ value: m, label: m }))} className="rules-month" />}
    >
      <Typography.Paragraph type="secondary">{t("rank.previewHint")}</Typography.Paragraph>
      {ranking.isError ? <ErrorAlert error={ranking.error} onRetry={() => void ranking.refetch()} /> : null}
      <Table<RankingRow>
        size="small"
        rowKey="rank"
        loading={ranking.isPending}
        dataSource={ranking.data?.rows ?? []}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: <Empty description={t("rank.none", { month })} /> }}
        columns={[
          { title: t("rank.place"), dataIndex: "rank", className: "nowrap" },
          { title: t(`rank.dimensions.${rule.dimension}`), key: "who", render: (_, r) => <Ranked rule={rule} row={r} /> },
          { title: t(`rank.indicators.${rule.indicator}`), key: "value", className: "nowrap", render: (_, r) => formatIndicator(rule.indicator, r.value) },
          { title: t("rank.ratings"), dataIndex: "ratings", className: "nowrap" },
        ]}
      />
    </Card>
  );
}

function Rankings() {
  const { t } = useTranslation("rules");
  const { message } = AntApp.useApp();
  useDocumentTitle(t("rank.title"));
  const queryClient = useQueryClient();
  const canEdit = useMayEdit("ranking");
  const [editing, setEditing] = useState<RankingRule | "new" | null>(null);
  const [previewing, setPreviewing] = useState<string | null>(null);
  const list = useQuery({
    queryKey: KEY,
    queryFn: () => allPages((offset) => unwrap(api.GET("/api/evaluation/v1/ranking-rules", { params: { query: { limit: 200, offset } } }))),
  });
  const rules = list.data ?? [];
  const shown = rules.find((r) => r.name === previewing) ?? rules[0];
  const done = async (name: string, text: string) => {
    setEditing(null);
    await queryClient.invalidateQueries({ queryKey: ["rules", "ranking"] });
    await queryClient.invalidateQueries({ queryKey: KEY });
    setPreviewing(name);
    void message.success(text);
  };
  const threshold = (r: RankingRule) =>
    [
      t("rank.atLeast", { count: r.min_ratings }),
      r.min_value !== null ? t("rank.valueAtLeast", { value: formatIndicator(r.indicator, r.min_value) }) : null,
      r.max_bad_reviews !== null ? t("rank.badAtMost", { count: r.max_bad_reviews }) : null,
    ]
      .filter(Boolean)
      .join("，");
  return (
    <RulesPage title={t("rank.title")} intro={t("rank.intro")}>
      <div className="staff-toolbar">
        {canEdit ? (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing("new")}>
            {t("rank.new")}
          </Button>
        ) : null}
      </div>
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table<RankingRule>
        size="middle"
        rowKey="name"
        loading={list.isPending}
        dataSource={rules}
        scroll={{ x: true }}
        pagination={false}
        columns={[
          { title: t("rank.titleField"), dataIndex: "title", className: "nowrap", sorter: (a, b) => byText(a.title, b.title) },
          { title: t("rank.name"), dataIndex: "name", className: "nowrap", responsive: ["md"], sorter: (a, b) => byText(a.name, b.name) },
          {
            title: t("rank.dimension"),
            key: "dimension",
            className: "nowrap",
            filters: DIMENSIONS.map((d) => ({ value: d, text: t(`rank.dimensions.${d}`) })),
            onFilter: (v, r) => r.dimension === v,
            render: (_, r) => t(`rank.dimensions.${r.dimension}`),
          },
          { title: t("rank.indicator"), key: "indicator", className: "nowrap", render: (_, r) => t(`rank.indicators.${r.indicator}`) },
          { title: t("rank.threshold"), key: "threshold", className: "rules-col-wide", render: (_, r) => threshold(r) },
          { title: t("rank.topN"), dataIndex: "top_n", className: "nowrap", sorter: (a, b) => a.top_n - b.top_n },
          {
            title: t("actions"),
            key: "actions",
            className: "nowrap",
            render: (_, r) => (
              <Space size={4}>
                <Button size="small" onClick={() => setPreviewing(r.name)} aria-pressed={shown?.name === r.name} aria-label={t("rank.previewOf", { title: r.title })}>
                  {t("rank.preview")}
                </Button>
                {canEdit ? (
                  <Button size="small" onClick={() => setEditing(r)} aria-label={t("editOf", { name: r.title })}>
                    {t("edit")}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      {shown ? <Preview key={shown.name} rule={shown} /> : null}
      <Modal rootClassName={OVERLAY} open={editing !== null} title={editing === "new" ? t("rank.new") : editing ? t("editOf", { name: editing.title }) : ""} footer={null} onCancel={() => setEditing(null)} destroyOnHidden>
        {editing !== null ? (
          <RankingForm
            rule={editing === "new" ? undefined : editing}
            taken={rules.map((r) => r.name)}
            onCancel={() => setEditing(null)}
            onDone={(name, text) => void done(name, text)}
          />
        ) : null}
      </Modal>
    </RulesPage>
  );
}

/** The ranking rules (好差评 排名规则: 红旗窗口, 服务之星, …), with a preview of the ranking each yields. */
export default function RankingPage() {
  return (
    <AntApp component={false}>
      <Rankings />
    </AntApp>
  );
}
