import { useState } from "react";
import { App as AntApp, Button, Checkbox, Form, Input, InputNumber, Radio, Space, Switch, Table, Tag } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { UnitName } from "../../components/UnitName";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { useCategories, useMayEdit, useStaff, useUnits } from "./data";
import { FieldSelect, indented, RuleDrawer, RulesPage, showProblem } from "./parts";
import {
  allPages,
  byText,
  escalationBody,
  escalationValues,
  REQUEST_TYPES,
  shareToPercent,
  TARGETS,
  WATCHED,
  type EscalationRule,
  type EscalationValues,
} from "./shared";

const FIELDS = ["name", "kind", "basis", "statuses", "after_percent", "plus_hours", "target", "target_unit_code", "target_staff_id", "request_type", "category_code", "active"];
const ALIASES = { after_share: "after_percent" };
const KEY = ["rules", "escalations"];
const NEW: Partial<EscalationValues> = { kind: "escalation", basis: "reply", statuses: ["dispatched", "in_progress"], after_percent: 100, plus_hours: 0, target: "unit_supervisor", active: true };

/** A new escalation rule, or a change of one (the API replaces it whole). */
function EscalationForm({ rule, onDone, onCancel }: { rule?: EscalationRule; onDone: (text: string) => void; onCancel: () => void }) {
  const { t } = useTranslation("rules");
  const [form] = Form.useForm<EscalationValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const categories = useCategories();
  const units = useUnits();
  const target = Form.useWatch("target", form) ?? rule?.target ?? NEW.target;
  const staff = useStaff(target === "staff");
  const submit = async (values: EscalationValues) => {
    setBusy(true);
    setGeneral([]);
    try {
      const body = escalationBody(values);
      if (rule) {
        await unwrap(api.PUT("/api/hotline/v1/escalation-rules/{rule_id}", { params: { path: { rule_id: rule.id } }, body }));
        onDone(t("saved"));
      } else {
        await unwrap(api.POST("/api/hotline/v1/escalation-rules", { body }));
        onDone(t("esc.created"));
      }
    } catch (error) {
      setGeneral(showProblem(form, error, FIELDS, t("failed"), ALIASES));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form<EscalationValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={rule ? escalationValues(rule) : NEW}>
      <ProblemAlert messages={general} title={t("problems")} />
      <Form.Item name="name" label={t("esc.name")} rules={[{ required: true, whitespace: true, message: t("esc.nameNeeded") }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="kind" label={t("esc.kind")} extra={t("esc.kindHint")}>
        <Radio.Group options={(["reminder", "escalation"] as const).map((k) => ({ value: k, label: t(`esc.kinds.${k}`) }))} />
      </Form.Item>
      <Form.Item name="basis" label={t("esc.basis")}>
        <Radio.Group options={(["response", "reply"] as const).map((b) => ({ value: b, label: t(`esc.bases.${b}`) }))} />
      </Form.Item>
      <Form.Item name="statuses" label={t("esc.statuses")} rules={[{ type: "array", min: 1, message: t("esc.statusesNeeded") }]}>
        <Checkbox.Group options={WATCHED.map((s) => ({ value: s, label: t(`esc.status.${s}`) }))} />
      </Form.Item>
      <div className="rules-pair">
        <Form.Item
          name="after_percent"
          label={t("esc.afterPercent")}
          extra={t("esc.afterHint")}
          rules={[
            { required: true, message: t("esc.afterNeeded") },
            { type: "number", min: 0, max: 1000, message: t("esc.afterRange") },
          ]}
        >
          <InputNumber addonAfter="%" className="rules-number" />
        </Form.Item>
        <Form.Item name="plus_hours" label={t("esc.plusHours")}>
          <InputNumber addonAfter={t("esc.hours")} className="rules-number" />
        </Form.Item>
      </div>
      <Form.Item name="target" label={t("esc.target")} rules={[{ required: true }]}>
        <FieldSelect options={TARGETS.map((x) => ({ value: x, label: t(`esc.targets.${x}`) }))} />
      </Form.Item>
      {target === "unit" ? (
        <Form.Item name="target_unit_code" label={t("esc.targetUnit")} rules={[{ required: true, message: t("esc.targetUnitNeeded") }]}>
          <FieldSelect showSearch optionFilterProp="label" options={units.units} optionRender={indented} loading={units.tree.isPending} />
        </Form.Item>
      ) : null}
      {target === "staff" ? (
        <Form.Item name="target_staff_id" label={t("esc.targetStaff")} rules={[{ required: true, message: t("esc.targetStaffNeeded") }]}>
          <FieldSelect showSearch optionFilterProp="label" options={staff.options} loading={staff.query.isPending} />
        </Form.Item>
      ) : null}
      <div className="rules-pair">
        <Form.Item name="request_type" label={t("esc.requestType")}>
          <FieldSelect allowClear placeholder={t("esc.any")} options={REQUEST_TYPES.map((r) => ({ value: r, label: t(`esc.types.${r}`) }))} />
        </Form.Item>
        <Form.Item name="category_code" label={t("esc.category")}>
          <FieldSelect allowClear showSearch optionFilterProp="label" placeholder={t("esc.any")} options={categories.options} />
        </Form.Item>
      </div>
      <Form.Item name="active" label={t("esc.active")} valuePropName="checked">
        <Switch checkedChildren={t("esc.on")} unCheckedChildren={t("esc.off")} />
      </Form.Item>
      <div className="staff-toolbar">
        <Button type="primary" htmlType="submit" loading={busy}>
          {rule ? t("save") : t("esc.create")}
        </Button>
        <Button onClick={onCancel}>{t("cancel")}</Button>
      </div>
    </Form>
  );
}

function Escalations() {
  const { t } = useTranslation("rules");
  const { modal, message } = AntApp.useApp();
  const errorText = useErrorText();
  useDocumentTitle(t("esc.title"));
  const queryClient = useQueryClient();
  const canEdit = useMayEdit("escalations");
  const categories = useCategories();
  const staff = useStaff(canEdit);
  const [editing, setEditing] = useState<EscalationRule | "new" | null>(null);
  const list = useQuery({
    queryKey: KEY,
    queryFn: () => allPages((offset) => unwrap(api.GET("/api/hotline/v1/escalation-rules", { params: { query: { limit: 200, offset } } }))),
  });
  const done = async (text: string) => {
    setEditing(null);
    await queryClient.invalidateQueries({ queryKey: KEY });
    void message.success(text);
  };
  const remove = (r: EscalationRule) =>
    modal.confirm({
      title: t("esc.deleteTitle", { name: r.name }),
      content: t("esc.deleteText"),
      okText: t("delete"),
      okButtonProps: { danger: true },
      cancelText: t("cancel"),
      onOk: async () => {
        try {
          await unwrap(api.DELETE("/api/hotline/v1/escalation-rules/{rule_id}", { params: { path: { rule_id: r.id } } }));
          await done(t("deleted"));
        } catch (error) {
          modal.error({ title: t("failed"), content: errorText(error) });
        }
      },
    });
  const when = (r: EscalationRule) => {
    const share = t("esc.whenShare", { basis: t(`esc.bases.${r.basis}`), percent: shareToPercent(r.after_share) });
    return r.plus_hours ? t("esc.whenPlus", { share, hours: r.plus_hours }) : share;
  };
  const whom = (r: EscalationRule) => {
    if (r.target === "unit" && r.target_unit_code) return <UnitName code={r.target_unit_code} />;
    if (r.target === "staff" && r.target_staff_id) return staff.byId.get(r.target_staff_id)?.name ?? r.target_staff_id;
    return t(`esc.targets.${r.target}`);
  };
  const scope = (r: EscalationRule) =>
    [r.request_type ? t(`esc.types.${r.request_type}`) : null, r.category_code ? categories.name(r.category_code) : null].filter(Boolean).join(" · ") || t("esc.any");
  return (
    <RulesPage title={t("esc.title")} intro={t("esc.intro")}>
      <div className="staff-toolbar">
        {canEdit ? (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing("new")}>
            {t("esc.new")}
          </Button>
        ) : null}
      </div>
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table<EscalationRule>
        size="middle"
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data ?? []}
        scroll={{ x: true }}
        pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
        columns={[
          { title: t("esc.name"), dataIndex: "name", className: "rules-col-name", sorter: (a, b) => byText(a.name, b.name) },
          {
            title: t("esc.level"),
            key: "level",
            className: "nowrap",
            sorter: (a, b) => a.level - b.level,
            filters: [0, 1, 2].map((l) => ({ value: l, text: t(`esc.levels.${l}`) })),
            onFilter: (v, r) => r.level === v,
            render: (_, r) => <Tag color={r.level === 0 ? "blue" : r.level === 1 ? "orange" : "red"}>{t(`esc.levels.${r.level}`)}</Tag>,
          },
          {
            title: t("esc.statuses"),
            key: "statuses",
            className: "rules-col-unit",
            filters: WATCHED.map((s) => ({ value: s, text: t(`esc.status.${s}`) })),
            onFilter: (v, r) => r.statuses.includes(v as EscalationRule["statuses"][number]),
            render: (_, r) => r.statuses.map((s) => t(`esc.status.${s}`)).join("、"),
          },
          { title: t("esc.when"), key: "when", className: "rules-col-wide", sorter: (a, b) => a.after_share - b.after_share || a.plus_hours - b.plus_hours, render: (_, r) => when(r) },
          { title: t("esc.target"), key: "target", className: "rules-col-unit", render: (_, r) => whom(r) },
          { title: t("esc.scope"), key: "scope", className: "nowrap", render: (_, r) => scope(r) },
          {
            title: t("esc.active"),
            key: "active",
            className: "nowrap",
            filters: [
              { value: true, text: t("esc.on") },
              { value: false, text: t("esc.off") },
            ],
            onFilter: (v, r) => r.active === v,
            render: (_, r) => <Tag color={r.active ? "success" : "default"}>{r.active ? t("esc.on") : t("esc.off")}</Tag>,
          },
          ...(canEdit
            ? [
                {
                  title: t("actions"),
                  key: "actions",
                  className: "nowrap",
                  render: (_: unknown, r: EscalationRule) => (
                    <Space size={4}>
                      <Button size="small" onClick={() => setEditing(r)} aria-label={t("editOf", { name: r.name })}>
                        {t("edit")}
                      </Button>
                      <Button size="small" danger onClick={() => remove(r)} aria-label={t("deleteOf", { name: r.name })}>
                        {t("delete")}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <RuleDrawer open={editing !== null} title={editing === "new" ? t("esc.new") : editing ? t("editOf", { name: editing.name }) : ""} onClose={() => setEditing(null)}>
        {editing !== null ? (
          <EscalationForm rule={editing === "new" ? undefined : editing} onCancel={() => setEditing(null)} onDone={(text) => void done(text)} />
        ) : null}
      </RuleDrawer>
    </RulesPage>
  );
}

/** The hotline's escalation rules (催办/督办规则): when a late ticket reminds or escalates, and to whom. */
export default function EscalationsPage() {
  return (
    <AntApp component={false}>
      <Escalations />
    </AntApp>
  );
}
