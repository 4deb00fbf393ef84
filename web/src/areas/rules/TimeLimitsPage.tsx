import { useState } from "react";
import { App as AntApp, Button, Form, Input, InputNumber, Modal, Table, Typography } from "antd";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { useCategories, useMayEdit } from "./data";
import { FieldSelect, OVERLAY, RulesPage, showProblem } from "./parts";
import { allPages, approxHours, byText, categoriesByRule, FLAG_RULES, LIMIT_UNITS, type TimeLimitRule, type TimeLimitUnit } from "./shared";

interface LimitValues {
  name: string;
  amount: number | null;
  unit: TimeLimitUnit;
}
const FIELDS = ["name", "amount", "unit"];
const KEY = ["rules", "time-limits"];

/** A time-limit rule's new name, amount and unit. */
function LimitForm({ rule, onDone, onCancel }: { rule: TimeLimitRule; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation("rules");
  const [form] = Form.useForm<LimitValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = async (values: LimitValues) => {
    setBusy(true);
    setGeneral([]);
    try {
      await unwrap(
        api.PUT("/api/hotline/v1/time-limit-rules/{code}", {
          params: { path: { code: rule.code } },
          // The range (1–365) is the API's to judge: its message shows under the field.
          body: { name: values.name.trim() || null, amount: values.amount ?? 0, unit: values.unit },
        }),
      );
      onDone();
    } catch (error) {
      setGeneral(showProblem(form, error, FIELDS, t("failed")));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form<LimitValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ name: rule.name, amount: rule.amount, unit: rule.unit }}>
      <ProblemAlert messages={general} title={t("problems")} />
      <Form.Item name="name" label={t("limits.name")} rules={[{ required: true, whitespace: true, message: t("limits.nameNeeded") }]}>
        <Input maxLength={200} />
      </Form.Item>
      <div className="rules-pair">
        <Form.Item name="amount" label={t("limits.amount")} rules={[{ required: true, message: t("limits.amountNeeded") }]}>
          <InputNumber precision={0} className="rules-number" />
        </Form.Item>
        <Form.Item name="unit" label={t("limits.unit")} rules={[{ required: true }]}>
          <FieldSelect options={LIMIT_UNITS.map((u) => ({ value: u, label: t(`limits.units.${u}`) }))} />
        </Form.Item>
      </div>
      <Typography.Paragraph type="secondary">{t("limits.fromNow")}</Typography.Paragraph>
      <div className="staff-toolbar">
        <Button type="primary" htmlType="submit" loading={busy}>
          {t("save")}
        </Button>
        <Button onClick={onCancel}>{t("cancel")}</Button>
      </div>
    </Form>
  );
}

function TimeLimits() {
  const { t } = useTranslation("rules");
  const { message } = AntApp.useApp();
  useDocumentTitle(t("limits.title"));
  const queryClient = useQueryClient();
  const canEdit = useMayEdit("timeLimits");
  const categories = useCategories();
  const [editing, setEditing] = useState<TimeLimitRule | null>(null);
  const list = useQuery({
    queryKey: KEY,
    queryFn: () => allPages((offset) => unwrap(api.GET("/api/hotline/v1/time-limit-rules", { params: { query: { limit: 200, offset } } }))),
  });
  const uses = categoriesByRule(categories.items);
  const appliesTo = (code: string) => {
    if ((FLAG_RULES as readonly string[]).includes(code)) return t(`limits.flag.${code}`);
    const names = uses.get(code) ?? [];
    return names.length ? names.join("、") : t("limits.unused");
  };
  const done = async () => {
    setEditing(null);
    await queryClient.invalidateQueries({ queryKey: KEY });
    void message.success(t("saved"));
  };
  return (
    <RulesPage title={t("limits.title")} intro={t("limits.intro")}>
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table<TimeLimitRule>
        size="middle"
        rowKey="code"
        loading={list.isPending}
        dataSource={list.data ?? []}
        scroll={{ x: true }}
        pagination={false}
        columns={[
          { title: t("limits.name"), dataIndex: "name", className: "nowrap", sorter: (a, b) => byText(a.name, b.name) },
          { title: t("limits.code"), dataIndex: "code", className: "nowrap", responsive: ["md"], sorter: (a, b) => byText(a.code, b.code) },
          {
            title: t("limits.limit"),
            key: "limit",
            className: "nowrap",
            defaultSortOrder: "ascend",
            sorter: (a, b) => approxHours(a) - approxHours(b),
            render: (_, r) => t(`limits.amountIn.${r.unit}`, { count: r.amount }),
          },
          { title: t("limits.appliesTo"), key: "applies", className: "rules-col-wide", render: (_, r) => appliesTo(r.code) },
          ...(canEdit
            ? [
                {
                  title: t("actions"),
                  key: "actions",
                  className: "nowrap",
                  render: (_: unknown, r: TimeLimitRule) => (
                    <Button size="small" onClick={() => setEditing(r)} aria-label={t("editOf", { name: r.name })}>
                      {t("edit")}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal rootClassName={OVERLAY} open={editing !== null} title={editing ? t("editOf", { name: editing.name }) : ""} footer={null} onCancel={() => setEditing(null)} destroyOnHidden>
        {editing ? <LimitForm rule={editing} onCancel={() => setEditing(null)} onDone={() => void done()} /> : null}
      </Modal>
    </RulesPage>
  );
}

/** The hotline's time limits (12345 办理时限): each rule's amount and unit, and what it applies to. */
export default function TimeLimitsPage() {
  return (
    <AntApp component={false}>
      <TimeLimits />
    </AntApp>
  );
}
