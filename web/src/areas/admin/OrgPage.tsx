import { useMemo, useState } from "react";
import { Link } from "react-router";
import { App as AntApp, Button, Card, Col, Descriptions, Empty, Form, Input, Modal, Row, Select, Skeleton, Tree, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { codeLabel } from "../../lib/labels";
import { indented, ORG_TREE_KEY, useOrgTree } from "../../components/OrgTree";
import { findNode, flatten, KINDS, LEVELS, problemOnForm, subtreeIds, type OrgKind, type OrgNode } from "./shared";
import "../../staff/staff.css";
import "./admin.css";

interface UnitValues {
  code?: string;
  name: string;
  kind?: OrgKind;
  level?: (typeof LEVELS)[number] | null;
  parent_id?: string | null;
  uscc?: string | null;
}

function toTree(nodes: OrgNode[], t: (k: string) => string): { key: string; title: string; children: ReturnType<typeof toTree> }[] {
  return nodes.map((n) => ({ key: n.id, title: `${n.name}（${t(`kind.${n.kind}`)}）`, children: toTree(n.children, t) }));
}

function UnitForm({
  mode,
  unit,
  parent,
  roots,
  onDone,
  onCancel,
}: {
  mode: "edit" | "create";
  unit?: OrgNode;
  parent?: OrgNode;
  roots: OrgNode[];
  onDone: (id: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation("admin");
  const [form] = Form.useForm<UnitValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const excluded = unit ? subtreeIds(unit) : new Set<string>();
  const parents = flatten(roots)
    .filter(({ unit: u }) => !excluded.has(u.id))
    .map(({ unit: u, depth }) => ({ value: u.id, label: u.name, depth }));
  const submit = async (values: UnitValues) => {
    setBusy(true);
    setGeneral([]);
    try {
      const saved =
        mode === "edit" && unit
          ? await unwrap(
              api.PATCH("/api/identity/v1/org-units/{ref}", {
                params: { path: { ref: unit.id } },
                body: { name: values.name.trim(), level: values.level ?? null, parent_id: values.parent_id ?? null, uscc: values.uscc?.trim() || null },
              }),
            )
          : await unwrap(
              api.POST("/api/identity/v1/org-units", {
                body: {
                  code: values.code!.trim(),
                  name: values.name.trim(),
                  kind: values.kind!,
                  level: values.level ?? null,
                  parent_id: values.parent_id ?? null,
                  uscc: values.uscc?.trim() || null,
                },
              }),
            );
      onDone(saved.id);
    } catch (error) {
      setGeneral(problemOnForm(form, error, ["code", "name", "kind", "level", "parent_id", "uscc"], t("failed")));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form<UnitValues>
      form={form}
      layout="vertical"
      onFinish={(v) => void submit(v)}
      initialValues={
        mode === "edit" && unit
          ? { name: unit.name, level: unit.level, parent_id: unit.parent_id, uscc: unit.uscc }
          : { parent_id: parent?.id, kind: "department", level: parent?.level }
      }
    >
      <ProblemAlert messages={general} title={t("problems")} />
      {mode === "create" ? (
        <Form.Item name="code" label={t("org.code")} rules={[{ required: true, whitespace: true, message: t("org.codeNeeded") }]} extra={t("org.codeHint")}>
          <Input maxLength={64} />
        </Form.Item>
      ) : null}
      <Form.Item name="name" label={t("org.name")} rules={[{ required: true, whitespace: true, message: t("org.nameNeeded") }]}>
        <Input maxLength={200} />
      </Form.Item>
      {mode === "create" ? (
        <Form.Item name="kind" label={t("org.kind")} rules={[{ required: true }]}>
          <Select options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
        </Form.Item>
      ) : null}
      <Form.Item name="level" label={t("org.level")}>
        <Select allowClear options={LEVELS.map((l) => ({ value: l, label: codeLabel(t, "level", l) }))} />
      </Form.Item>
      <Form.Item name="parent_id" label={t("org.parent")}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          options={parents}
          optionRender={indented}
        />
      </Form.Item>
      <Form.Item name="uscc" label={t("org.uscc")}>
        <Input maxLength={18} />
      </Form.Item>
      <div className="staff-toolbar">
        <Button type="primary" htmlType="submit" loading={busy}>
          {mode === "edit" ? t("save") : t("org.create")}
        </Button>
        <Button onClick={onCancel}>{t("cancel")}</Button>
      </div>
    </Form>
  );
}

function Org() {
  const { t } = useTranslation("admin");
  const { message } = AntApp.useApp();
  useDocumentTitle(t("org.title"));
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string>();
  const [mode, setMode] = useState<"view" | "edit">("view");
  const [creating, setCreating] = useState(false);
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const tree = useOrgTree();
  const roots = useMemo(() => tree.data?.roots ?? [], [tree.data]);
  const unit = findNode(roots, selected);
  const parent = findNode(roots, unit?.parent_id ?? undefined);
  const data = useMemo(() => toTree(roots, t), [roots, t]);
  const open = expanded ?? roots.map((r) => r.id);
  const done = async (id: string, text: string) => {
    await queryClient.invalidateQueries({ queryKey: ORG_TREE_KEY });
    if (unit) setExpanded([...new Set([...open, unit.id, ...(unit.parent_id ? [unit.parent_id] : [])])]);
    setSelected(id);
    setMode("view");
    setCreating(false);
    void message.success(text);
  };
  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("org.title")}
      </Typography.Title>
      {tree.isError ? <ErrorAlert error={tree.error} onRetry={() => void tree.refetch()} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <Card size="small" title={<h2 className="adm-card-title">{t("org.tree")}</h2>}>
            {tree.isPending ? (
              <Skeleton active />
            ) : (
              <Tree
                className="adm-tree"
                treeData={data}
                selectedKeys={selected ? [selected] : []}
                expandedKeys={open}
                onExpand={(keys) => setExpanded(keys as string[])}
                onSelect={(keys) => {
                  setSelected(keys[0] as string | undefined);
                  setMode("view");
                }}
                height={560}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card
            size="small"
            title={<h2 className="adm-card-title">{unit ? unit.name : t("org.details")}</h2>}
            extra={
              unit && mode === "view" ? (
                <div className="staff-toolbar adm-card-actions">
                  <Button onClick={() => setMode("edit")}>{t("org.edit")}</Button>
                  <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
                    {t("org.addChild")}
                  </Button>
                </div>
              ) : null
            }
          >
            {!unit ? (
              <Empty description={t("org.pick")} />
            ) : mode === "edit" ? (
              <UnitForm key={unit.id} mode="edit" unit={unit} roots={roots} onCancel={() => setMode("view")} onDone={(id) => void done(id, t("saved"))} />
            ) : (
              <>
                <Descriptions size="small" column={1} bordered>
                  <Descriptions.Item label={t("org.code")}>{unit.code}</Descriptions.Item>
                  <Descriptions.Item label={t("org.kind")}>{t(`kind.${unit.kind}`)}</Descriptions.Item>
                  <Descriptions.Item label={t("org.level")}>{codeLabel(t, "level", unit.level)}</Descriptions.Item>
                  <Descriptions.Item label={t("org.parent")}>{parent?.name ?? "—"}</Descriptions.Item>
                  <Descriptions.Item label={t("org.uscc")}>{unit.uscc ?? "—"}</Descriptions.Item>
                  <Descriptions.Item label={t("org.children")}>{unit.children.length}</Descriptions.Item>
                </Descriptions>
                <p className="adm-gap">
                  <Link to={`/work/admin/staff?unit=${encodeURIComponent(unit.id)}`}>{t("org.staffOf")}</Link>
                </p>
              </>
            )}
          </Card>
        </Col>
      </Row>
      <Modal open={creating} title={t("org.addChildOf", { name: unit?.name ?? "" })} footer={null} onCancel={() => setCreating(false)} destroyOnHidden>
        <UnitForm mode="create" parent={unit} roots={roots} onCancel={() => setCreating(false)} onDone={(id) => void done(id, t("org.created"))} />
      </Modal>
    </div>
  );
}

/** The organisation tree (组织机构): every unit, its details, editing it and adding units under it. */
export default function OrgPage() {
  return (
    <AntApp component={false}>
      <Org />
    </AntApp>
  );
}
