import { useState } from "react";
import { Link } from "react-router";
import { Button, Form, Input, Modal, Select, Skeleton, Table, Tag, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import type { components } from "../../api/schema";
import "../../staff/staff.css";
import "./catalogue.css";

type Material = components["schemas"]["catalog__BundleMaterialRead"];
type BundleSummary = { code: string; name: string; description: string | null; created_at: string };

/** A bundle's members and its merged materials (shared ones asked once). */
function BundleDetail({ code }: { code: string }) {
  const { t } = useTranslation("catalogue");
  const bundle = useQuery({
    queryKey: ["catalogue", "bundles", code],
    queryFn: () => unwrap(api.GET("/api/catalog/v1/bundles/{code}", { params: { path: { code } } })),
  });
  if (bundle.isError) return <ErrorAlert error={bundle.error} />;
  if (!bundle.data) return <Skeleton active />;
  const b = bundle.data;
  return (
    <div className="cat-bundle">
      <h3 className="cat-subtitle">{t("bundles.items")}</h3>
      <ul className="cat-bundle-members">
        {b.members.map((m) => (
          <li key={m.code}>
            <Link to={`/work/catalogue/items/${encodeURIComponent(m.code)}`}>{m.name}</Link>（{m.owner_unit_name}）
            {m.status !== "published" ? <Tag className="cat-badge">{t(`status.${m.status}`)}</Tag> : null}
          </li>
        ))}
      </ul>
      <h3 className="cat-subtitle">
        {t("bundles.materials")}：{t("bundles.merged", { asked: b.materials_asked, before: b.materials_before_merge })}
      </h3>
      <Table<Material>
        size="small"
        rowKey="name"
        pagination={false}
        dataSource={b.materials}
        scroll={{ x: true }}
        columns={[
          { title: t("f.materialName"), dataIndex: "name" },
          { title: t("f.source"), key: "source", render: (_, m) => m.source ?? "—" },
          {
            title: t("bundles.neededBy"),
            key: "by",
            render: (_, m) => (m.shared ? <Tag color="blue">{t("bundles.shared", { count: m.needed_by.length })}</Tag> : "—"),
          },
        ]}
      />
    </div>
  );
}

interface BundleValues {
  name: string;
  description?: string;
  item_codes: string[];
}

/** Published entries to choose a bundle's members from, searched as the editor types. */
function ItemPicker(props: { id?: string; value?: string[]; onChange?: (v: string[]) => void }) {
  const [q, setQ] = useState("");
  const hits = useQuery({
    queryKey: ["catalogue", "items", "pick", q],
    queryFn: () => unwrap(api.GET("/api/catalog/v1/items", { params: { query: { q: q || undefined, limit: 30 } } })),
  });
  return (
    <Select
      {...props}
      mode="multiple"
      showSearch
      filterOption={false}
      onSearch={setQ}
      loading={hits.isPending}
      options={(hits.data?.items ?? []).map((i) => ({ value: i.code, label: `${i.name}（${i.owner_unit_name}）` }))}
    />
  );
}

function NewBundle({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation("catalogue");
  const queryClient = useQueryClient();
  const [form] = Form.useForm<BundleValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = async (values: BundleValues) => {
    setBusy(true);
    setGeneral([]);
    try {
      await unwrap(
        api.POST("/api/catalog/v1/bundles", {
          body: { name: values.name.trim(), description: values.description?.trim() || null, item_codes: values.item_codes },
        }),
      );
      await queryClient.invalidateQueries({ queryKey: ["catalogue", "bundles"] });
      form.resetFields();
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.problem) {
        const rest: string[] = [];
        for (const e of error.problem.errors ?? []) {
          const field = e.field.replace(/^body\./, "").split(".")[0] as keyof BundleValues;
          if (["name", "description", "item_codes"].includes(field)) form.setFields([{ name: field, errors: [e.message] }]);
          else rest.push(e.message);
        }
        setGeneral(error.problem.errors?.length ? rest : [error.problem.detail]);
      } else setGeneral([t("editor.failed")]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t("bundles.new")}
      okText={t("bundles.create")}
      cancelText={t("common.cancel")}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <p className="muted">{t("bundles.newIntro")}</p>
      <ProblemAlert messages={general} title={t("editor.problems")} />
      <Form<BundleValues> form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="name" label={t("bundles.name")} rules={[{ required: true, whitespace: true, message: t("bundles.nameNeeded") }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="description" label={t("bundles.description")}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={4000} />
        </Form.Item>
        <Form.Item
          name="item_codes"
          label={t("bundles.items")}
          extra={t("bundles.itemsHint")}
          rules={[{ type: "array", min: 2, message: t("bundles.twoItems") }]}
        >
          <ItemPicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The "one thing" bundles (一件事): their members and merged materials; a new one from published entries. */
export default function BundlesPage() {
  const { t } = useTranslation("catalogue");
  useDocumentTitle(t("bundles.title"));
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    queryKey: ["catalogue", "bundles"],
    queryFn: () => unwrap(api.GET("/api/catalog/v1/bundles", { params: { query: { limit: 100 } } })),
  });
  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("bundles.title")}
      </Typography.Title>
      <div className="staff-toolbar">
        <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
          {t("bundles.new")}
        </Button>
      </div>
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table<BundleSummary>
        size="middle"
        rowKey="code"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t("bundles.none") }}
        expandable={{ expandedRowRender: (b) => <BundleDetail code={b.code} /> }}
        columns={[
          { title: t("bundles.name"), dataIndex: "name" },
          { title: t("bundles.code"), dataIndex: "code", className: "nowrap" },
          { title: t("bundles.description"), key: "d", render: (_, b) => b.description ?? "—" },
          { title: t("bundles.created"), key: "at", className: "nowrap", render: (_, b) => formatDateTime(b.created_at) },
        ]}
      />
      <NewBundle open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
