import { useState } from "react";
import { useSearchParams } from "react-router";
import { App as AntApp, Button, Form, Select, Space, Table, Tag } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { UnitName } from "../../components/UnitName";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { useCategories, useMayEdit, useUnits } from "./data";
import { FieldSelect, indented, RuleDrawer, RulesPage, showProblem } from "./parts";
import { allPages, ANYWHERE, byText, dispatchBody, filterDispatch, type DispatchRule } from "./shared";

interface DispatchValues {
  category_code: string;
  area_code: string;
  lead_unit_code: string;
  co_unit_codes: string[];
}
const FIELDS = ["category_code", "area_code", "lead_unit_code", "co_unit_codes"];
// hotline-svc names the area it checked as a street or a community.
const ALIASES = { street_code: "area_code", community_code: "area_code" };
const KEY = ["rules", "dispatch"];
type Row = DispatchRule & { sortKeys: [string, string, string] };

/** A new dispatch rule, or a change of one (the API replaces it whole). */
function DispatchForm({ rule, onDone, onCancel }: { rule?: DispatchRule; onDone: (text: string) => void; onCancel: () => void }) {
  const { t } = useTranslation("rules");
  const [form] = Form.useForm<DispatchValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const categories = useCategories();
  const units = useUnits();
  const lead = Form.useWatch("lead_unit_code", form);
  const submit = async (values: DispatchValues) => {
    setBusy(true);
    setGeneral([]);
    try {
      const body = dispatchBody(values);
      if (rule) {
        await unwrap(api.PUT("/api/hotline/v1/dispatch-rules/{rule_id}", { params: { path: { rule_id: rule.id } }, body }));
        onDone(t("saved"));
      } else {
        await unwrap(api.POST("/api/hotline/v1/dispatch-rules", { body }));
        onDone(t("dispatch.created"));
      }
    } catch (error) {
      setGeneral(showProblem(form, error, FIELDS, t("failed"), ALIASES));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form<DispatchValues>
      form={form}
      layout="vertical"
      onFinish={(v) => void submit(v)}
      initialValues={rule ? { ...rule } : { area_code: ANYWHERE, co_unit_codes: [] }}
    >
      <ProblemAlert messages={general} title={t("problems")} />
      <Form.Item name="category_code" label={t("dispatch.category")} rules={[{ required: true, message: t("dispatch.categoryNeeded") }]}>
        <FieldSelect showSearch optionFilterProp="label" options={categories.options} loading={categories.query.isPending} />
      </Form.Item>
      <Form.Item name="area_code" label={t("dispatch.area")} extra={t("dispatch.areaHint")} rules={[{ required: true, message: t("dispatch.areaNeeded") }]}>
        <FieldSelect showSearch optionFilterProp="label" options={units.areas} optionRender={indented} loading={units.tree.isPending} />
      </Form.Item>
      <Form.Item name="lead_unit_code" label={t("dispatch.lead")} rules={[{ required: true, message: t("dispatch.leadNeeded") }]}>
        <FieldSelect showSearch optionFilterProp="label" options={units.units} optionRender={indented} loading={units.tree.isPending} />
      </Form.Item>
      <Form.Item name="co_unit_codes" label={t("dispatch.co")} extra={t("dispatch.coHint")}>
        <FieldSelect
          mode="multiple"
          showSearch
          optionFilterProp="label"
          maxCount={10}
          options={units.units.filter((u) => u.value !== lead)}
          optionRender={indented}
        />
      </Form.Item>
      <div className="staff-toolbar">
        <Button type="primary" htmlType="submit" loading={busy}>
          {rule ? t("save") : t("dispatch.create")}
        </Button>
        <Button onClick={onCancel}>{t("cancel")}</Button>
      </div>
    </Form>
  );
}

function DispatchRules() {
  const { t } = useTranslation("rules");
  const { modal, message } = AntApp.useApp();
  const errorText = useErrorText();
  useDocumentTitle(t("dispatch.title"));
  const queryClient = useQueryClient();
  const canEdit = useMayEdit("dispatch");
  const categories = useCategories();
  const units = useUnits();
  const [params, setParams] = useSearchParams();
  const filter = { category: params.get("category") ?? undefined, area: params.get("area") ?? undefined, unit: params.get("unit") ?? undefined };
  const [editing, setEditing] = useState<DispatchRule | "new" | null>(null);
  const list = useQuery({
    queryKey: KEY,
    queryFn: () => allPages((offset) => unwrap(api.GET("/api/hotline/v1/dispatch-rules", { params: { query: { limit: 200, offset } } }))),
  });
  // The names to sort by travel with the rows: Ant Design keeps the sorter of the first render,
  // when the names were not loaded yet.
  const rows: Row[] = filterDispatch(list.data ?? [], filter).map((r) => ({
    ...r,
    sortKeys: [categories.name(r.category_code), units.name(r.area_code), units.name(r.lead_unit_code)],
  }));
  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const done = async (text: string) => {
    setEditing(null);
    await queryClient.invalidateQueries({ queryKey: KEY });
    void message.success(text);
  };
  const remove = (r: DispatchRule) =>
    modal.confirm({
      title: t("dispatch.deleteTitle", { category: categories.name(r.category_code), area: units.name(r.area_code) }),
      content: t("dispatch.deleteText"),
      okText: t("delete"),
      okButtonProps: { danger: true },
      cancelText: t("cancel"),
      onOk: async () => {
        try {
          await unwrap(api.DELETE("/api/hotline/v1/dispatch-rules/{rule_id}", { params: { path: { rule_id: r.id } } }));
          await done(t("deleted"));
        } catch (error) {
          modal.error({ title: t("failed"), content: errorText(error) });
        }
      },
    });
  const ruleName = (r: DispatchRule) => `${categories.name(r.category_code)} × ${units.name(r.area_code)}`;
  return (
    <RulesPage title={t("dispatch.title")} intro={t("dispatch.intro")}>
      <div className="staff-toolbar">
        {canEdit ? (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing("new")}>
            {t("dispatch.new")}
          </Button>
        ) : null}
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          aria-label={t("dispatch.filterCategory")}
          placeholder={t("dispatch.allCategories")}
          className="rules-filter"
          value={filter.category}
          onChange={(v?: string) => setFilter("category", v)}
          options={categories.options}
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          aria-label={t("dispatch.filterArea")}
          placeholder={t("dispatch.allAreas")}
          className="rules-filter"
          value={filter.area}
          onChange={(v?: string) => setFilter("area", v)}
          options={units.areas}
          optionRender={indented}
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          aria-label={t("dispatch.filterUnit")}
          placeholder={t("dispatch.allUnits")}
          className="rules-filter"
          value={filter.unit}
          onChange={(v?: string) => setFilter("unit", v)}
          options={units.units}
          optionRender={indented}
        />
      </div>
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table<Row>
        size="middle"
        rowKey="id"
        loading={list.isPending}
        dataSource={rows}
        scroll={{ x: true }}
        pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true, showTotal: (n) => t("count", { count: n }) }}
        columns={[
          {
            title: t("dispatch.category"),
            key: "category",
            className: "nowrap",
            sorter: (a, b) => byText(a.sortKeys[0], b.sortKeys[0]),
            defaultSortOrder: "ascend",
            render: (_, r) => categories.name(r.category_code),
          },
          {
            title: t("dispatch.area"),
            key: "area",
            className: "nowrap",
            sorter: (a, b) => byText(a.sortKeys[1], b.sortKeys[1]),
            render: (_, r) => (r.area_code === ANYWHERE ? t("dispatch.anywhere") : <UnitName code={r.area_code} />),
          },
          {
            title: t("dispatch.lead"),
            key: "lead",
            className: "rules-col-unit",
            sorter: (a, b) => byText(a.sortKeys[2], b.sortKeys[2]),
            render: (_, r) => <UnitName code={r.lead_unit_code} />,
          },
          {
            title: t("dispatch.co"),
            key: "co",
            className: "rules-col-unit",
            render: (_, r) =>
              r.co_unit_codes.length ? (
                <Space size={[4, 4]} wrap>
                  {r.co_unit_codes.map((c) => (
                    <Tag key={c}>
                      <UnitName code={c} />
                    </Tag>
                  ))}
                </Space>
              ) : (
                "—"
              ),
          },
          {
            title: t("updatedAt"),
            key: "updated",
            responsive: ["md"],
            className: "nowrap",
            sorter: (a, b) => byText(a.updated_at, b.updated_at),
            render: (_, r) => formatDateTime(r.updated_at),
          },
          ...(canEdit
            ? [
                {
                  title: t("actions"),
                  key: "actions",
                  className: "nowrap",
                  render: (_: unknown, r: Row) => (
                    <Space size={4}>
                      <Button size="small" onClick={() => setEditing(r)} aria-label={t("editOf", { name: ruleName(r) })}>
                        {t("edit")}
                      </Button>
                      <Button size="small" danger onClick={() => remove(r)} aria-label={t("deleteOf", { name: ruleName(r) })}>
                        {t("delete")}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <RuleDrawer
        open={editing !== null}
        title={editing === "new" ? t("dispatch.new") : editing ? t("editOf", { name: ruleName(editing) }) : ""}
        onClose={() => setEditing(null)}
      >
        {editing !== null ? (
          <DispatchForm rule={editing === "new" ? undefined : editing} onCancel={() => setEditing(null)} onDone={(text) => void done(text)} />
        ) : null}
      </RuleDrawer>
    </RulesPage>
  );
}

/** The dispatch catalogue (12345 派单规则): category × area → lead unit and co-handling units. */
export default function DispatchPage() {
  return (
    <AntApp component={false}>
      <DispatchRules />
    </AntApp>
  );
}
