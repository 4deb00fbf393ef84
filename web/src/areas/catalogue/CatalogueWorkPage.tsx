import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { Alert, Button, Form, Input, Modal, Segmented, Select, Space, Table, Tabs, Tag, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useSession } from "../../auth/useSession";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { codeLabel } from "../../lib/labels";
import type { components } from "../../api/schema";
import { daysSince, formNameOfProblemField, ITEM_TYPES, LEVELS } from "./model";
import { StatusTag } from "./StatusTag";
import "../../staff/staff.css";
import "./catalogue.css";

type OpenVersion = components["schemas"]["catalog__OpenVersionRead"];
type Filter = "all" | "draft" | "in_review" | "mine";


/** What waits for this editor: drafts and versions in review of their unit (all units for admins). */
function OpenVersions() {
  const { t } = useTranslation("catalogue");
  const { claims } = useSession();
  const [filter, setFilter] = useState<Filter>("all");
  const list = useQuery({
    queryKey: [MY, "catalogue", "open-versions"],
    queryFn: () => unwrap(api.GET("/api/catalog/v1/item-versions", { params: { query: { limit: 100 } } })),
  });
  const items = (list.data?.items ?? []).filter((v) =>
    filter === "all" ? true : filter === "mine" ? v.can_publish : v.status === filter,
  );
  const who = (subject: string | null | undefined) =>
    !subject ? t("work.system") : subject === claims?.sub ? t("work.me") : t("work.colleague");
  return (
    <>
      <div className="staff-toolbar">
        <Segmented<Filter>
          value={filter}
          onChange={setFilter}
          aria-label={t("work.filter")}
          options={[
            { value: "all", label: t("work.all", { count: list.data?.items.length ?? 0 }) },
            { value: "draft", label: t("work.drafts") },
            { value: "in_review", label: t("work.inReview") },
            { value: "mine", label: t("work.forMe") },
          ]}
        />
      </div>
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table<OpenVersion>
        size="middle"
        loading={list.isPending}
        rowKey={(v) => `${v.item_code}-${v.version_no}`}
        dataSource={items}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t("work.none") }}
        columns={[
          {
            title: t("work.name"),
            key: "name",
            className: "cat-col-name",
            render: (_, v) => (
              <>
                <Link to={`/work/catalogue/items/${encodeURIComponent(v.item_code)}?v=${v.version_no}`}>{v.name}</Link>
                {v.returned_at ? (
                  <span className="cat-returned">
                    {v.returned_reason ? t("work.returnedReason", { reason: v.returned_reason }) : t("work.returnedNoReason")}
                  </span>
                ) : null}
              </>
            ),
          },
          { title: t("work.code"), dataIndex: "item_code", className: "nowrap" },
          { title: t("work.unit"), dataIndex: "owner_unit_name", className: "cat-col-unit" },
          {
            title: t("work.version"),
            key: "version",
            className: "nowrap",
            render: (_, v) => t("work.versionNo", { no: v.version_no }),
          },
          { title: t("work.status"), key: "status", render: (_, v) => <StatusTag status={v.status} /> },
          {
            title: t("work.author"),
            key: "author",
            className: "nowrap",
            render: (_, v) => (v.status === "in_review" ? who(v.submitted_by) : who(v.created_by)),
          },
          {
            title: t("work.waiting"),
            key: "waiting",
            className: "nowrap",
            render: (_, v) => (
              <span title={formatDateTime(v.updated_at)}>
                {t("work.days", { count: daysSince(v.submitted_at ?? v.updated_at) })}
              </span>
            ),
          },
          {
            title: t("work.next"),
            key: "next",
            render: (_, v) =>
              v.status === "draft" && v.returned_at ? (
                <Tag color="orange">{t("work.nextFix")}</Tag>
              ) : v.status === "draft" ? (
                <Tag>{t("work.nextEdit")}</Tag>
              ) : v.can_publish ? (
                <Tag color="blue">{t("work.nextReview")}</Tag>
              ) : (
                <Tag color="orange">{t("work.nextOther")}</Tag>
              ),
          },
        ]}
      />
    </>
  );
}

/** Published entries, searched, to open one and start a new version. */
function PublishedItems() {
  const { t } = useTranslation("catalogue");
  const [q, setQ] = useState("");
  const [offset, setOffset] = useState(0);
  const list = useQuery({
    queryKey: ["catalogue", "items", q, offset],
    queryFn: () =>
      unwrap(api.GET("/api/catalog/v1/items", { params: { query: { q: q || undefined, limit: 20, offset } } })),
  });
  return (
    <>
      <div className="staff-toolbar">
        <Input.Search
          allowClear
          className="cat-search"
          placeholder={t("items.searchHint")}
          aria-label={t("items.search")}
          enterButton={t("items.searchButton")}
          onSearch={(value) => {
            setQ(value.trim());
            setOffset(0);
          }}
        />
      </div>
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table
        size="middle"
        loading={list.isPending}
        rowKey="code"
        dataSource={list.data?.items ?? []}
        scroll={{ x: true }}
        pagination={{
          current: offset / 20 + 1,
          pageSize: 20,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          onChange: (page) => setOffset((page - 1) * 20),
        }}
        columns={[
          {
            title: t("work.name"),
            key: "name",
            className: "cat-col-name",
            render: (_, item) => <Link to={`/work/catalogue/items/${encodeURIComponent(item.code)}`}>{item.name}</Link>,
          },
          { title: t("work.code"), dataIndex: "code", className: "nowrap" },
          { title: t("items.type"), key: "type", render: (_, item) => codeLabel(t, "itemType", item.item_type) },
          { title: t("work.unit"), dataIndex: "owner_unit_name", className: "cat-col-unit" },
          {
            title: t("items.inForce"),
            key: "version",
            className: "nowrap",
            render: (_, item) =>
              item.current_version_no ? t("work.versionNo", { no: item.current_version_no }) : "—",
          },
          {
            title: t("items.newest"),
            key: "latest",
            className: "nowrap",
            render: (_, item) =>
              item.latest_version_no !== item.current_version_no ? (
                <Tag color="gold">{t("items.openVersion", { no: item.latest_version_no })}</Tag>
              ) : (
                "—"
              ),
          },
        ]}
      />
    </>
  );
}

interface NewItemValues {
  name: string;
  item_type: (typeof ITEM_TYPES)[number];
  level: (typeof LEVELS)[number];
  unit: string;
  basic_code?: string;
}

/** A new entry: its name, type, level and unit make draft version 1; the rest is edited after. */
function NewItem({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation("catalogue");
  const { claims } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm<NewItemValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const units = useQuery({
    queryKey: ["catalogue", "org-units"],
    queryFn: () => unwrap(api.GET("/api/identity/v1/org-units", { params: { query: { limit: 200 } } })),
    enabled: open,
  });
  const submit = async (values: NewItemValues) => {
    const unit = units.data?.items.find((u) => u.code === values.unit);
    if (!unit) return;
    setBusy(true);
    setGeneral([]);
    try {
      const created = await unwrap(
        api.POST("/api/catalog/v1/items", {
          body: {
            basic_code: values.basic_code?.trim() || null,
            elements: {
              name: values.name.trim(),
              item_type: values.item_type,
              level: values.level,
              implementing_unit: { code: unit.code, name: unit.name, uscc: unit.uscc ?? null },
            } as components["schemas"]["catalog__ItemElements"],
          },
        }),
      );
      onClose();
      void navigate(`/work/catalogue/items/${encodeURIComponent(created.code)}?v=1`);
    } catch (error) {
      if (error instanceof ApiError && error.problem) {
        const rest: string[] = [];
        const alias: Record<string, keyof NewItemValues> = { name: "name", item_type: "item_type", level: "level" };
        for (const e of error.problem.errors ?? []) {
          const path = formNameOfProblemField(e.field);
          const field = path && path.length === 1 ? alias[String(path[0])] : e.field === "body.basic_code" ? "basic_code" : undefined;
          if (field) form.setFields([{ name: field, errors: [e.message] }]);
          else rest.push(e.message);
        }
        setGeneral(rest.length > 0 || (error.problem.errors ?? []).length > 0 ? rest : [error.problem.detail]);
      } else setGeneral([t("editor.failed")]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t("newItem.title")}
      onCancel={onClose}
      okText={t("newItem.create")}
      cancelText={t("common.cancel")}
      confirmLoading={busy}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <p className="muted">{t("newItem.intro")}</p>
      <ProblemAlert messages={general} title={t("editor.problems")} />
      <Form<NewItemValues>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{ unit: claims?.org_unit_code, item_type: "20", level: 4 }}
      >
        <Form.Item name="name" label={t("f.name")} rules={[{ required: true, whitespace: true, message: t("newItem.nameNeeded") }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="item_type" label={t("f.item_type")} rules={[{ required: true }]}>
          <Select options={ITEM_TYPES.map((c) => ({ value: c, label: codeLabel(t, "itemType", c) }))} />
        </Form.Item>
        <Form.Item name="level" label={t("f.level")} rules={[{ required: true }]}>
          <Select options={LEVELS.map((c) => ({ value: c, label: codeLabel(t, "level", c) }))} />
        </Form.Item>
        <Form.Item name="unit" label={t("f.implementing_unit")} rules={[{ required: true, message: t("newItem.unitNeeded") }]}>
          <Select
            showSearch
            loading={units.isPending}
            optionFilterProp="label"
            options={(units.data?.items ?? []).map((u) => ({ value: u.code, label: `${u.name}（${u.code}）` }))}
          />
        </Form.Item>
        <Form.Item name="basic_code" label={t("newItem.basicCode")} extra={t("newItem.basicCodeHint")}>
          <Input maxLength={50} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function CatalogueWorkPage() {
  const { t } = useTranslation("catalogue");
  useDocumentTitle(t("work.title"));
  const [creating, setCreating] = useState(false);
  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("work.title")}
      </Typography.Title>
      <Space wrap className="staff-toolbar">
        <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
          {t("newItem.title")}
        </Button>
        <Link to="/work/catalogue/imports">{t("menu.imports")}</Link>
        <Link to="/work/catalogue/bundles">{t("menu.bundles")}</Link>
      </Space>
      <Alert type="info" showIcon className="cat-intro" message={t("work.intro")} />
      <Tabs
        items={[
          { key: "open", label: t("work.tabOpen"), children: <OpenVersions /> },
          { key: "items", label: t("work.tabItems"), children: <PublishedItems /> },
        ]}
      />
      <NewItem open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
