import { useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { App as AntApp, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { flattenOrg, indented, useOrgTree } from "../../components/OrgTree";
import { problemOnForm, ROLES, type Role, type Staff } from "./shared";
import "../../staff/staff.css";
import "./admin.css";

interface StaffValues {
  username?: string;
  name: string;
  org_unit_id: string;
  roles: Role[];
  password?: string;
  loa?: 2 | 3 | 4 | 5;
}


function useUnits() {
  const tree = useOrgTree();
  return useMemo(
    () => flattenOrg(tree.data?.roots ?? []).map(({ unit, depth }) => ({ value: unit.id, label: unit.name, depth })),
    [tree.data],
  );
}

/** A new staff account, or a change of one's name, unit and roles. */
function StaffForm({ staff, onDone, onCancel }: { staff?: Staff; onDone: (text: string) => void; onCancel: () => void }) {
  const { t } = useTranslation("admin");
  const [form] = Form.useForm<StaffValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const units = useUnits();
  const submit = async (values: StaffValues) => {
    setBusy(true);
    setGeneral([]);
    try {
      if (staff) {
        await unwrap(
          api.PATCH("/api/identity/v1/staff/{staff_id}", {
            params: { path: { staff_id: staff.id } },
            body: { name: values.name.trim(), org_unit_id: values.org_unit_id, roles: values.roles },
          }),
        );
        onDone(t("saved"));
      } else {
        await unwrap(
          api.POST("/api/identity/v1/staff", {
            body: {
              username: values.username!.trim(),
              name: values.name.trim(),
              org_unit_id: values.org_unit_id,
              roles: values.roles,
              password: values.password!,
              loa: values.loa ?? 4,
            },
          }),
        );
        onDone(t("staff.created"));
      }
    } catch (error) {
      setGeneral(problemOnForm(form, error, ["username", "name", "org_unit_id", "roles", "password", "loa"], t("failed")));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form<StaffValues>
      form={form}
      layout="vertical"
      onFinish={(v) => void submit(v)}
      initialValues={staff ? { name: staff.name, org_unit_id: staff.org_unit.id, roles: staff.roles } : { roles: [], loa: 4 }}
    >
      <ProblemAlert messages={general} title={t("problems")} />
      {staff ? null : (
        <Form.Item name="username" label={t("staff.username")} rules={[{ required: true, whitespace: true, message: t("staff.usernameNeeded") }]}>
          <Input maxLength={64} autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item name="name" label={t("staff.name")} rules={[{ required: true, whitespace: true, message: t("staff.nameNeeded") }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="org_unit_id" label={t("staff.unit")} rules={[{ required: true, message: t("staff.unitNeeded") }]}>
        <Select showSearch optionFilterProp="label" options={units} optionRender={indented} />
      </Form.Item>
      <Form.Item name="roles" label={t("staff.roles")} rules={[{ type: "array", min: 1, message: t("staff.rolesNeeded") }]}>
        <Select mode="multiple" options={ROLES.map((r) => ({ value: r, label: t(`staff:roles.${r}`) }))} />
      </Form.Item>
      {staff ? null : (
        <>
          <Form.Item name="password" label={t("staff.password")} rules={[{ required: true, message: t("staff.passwordNeeded") }]} extra={t("staff.passwordHint")}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="loa" label={t("staff.loa")}>
            <Select options={[2, 3, 4, 5].map((l) => ({ value: l, label: t("staff.loaLevel", { level: l }) }))} />
          </Form.Item>
        </>
      )}
      <div className="staff-toolbar">
        <Button type="primary" htmlType="submit" loading={busy}>
          {staff ? t("save") : t("staff.create")}
        </Button>
        <Button onClick={onCancel}>{t("cancel")}</Button>
      </div>
    </Form>
  );
}

function StaffList() {
  const { t } = useTranslation("admin");
  const { modal, message } = AntApp.useApp();
  useDocumentTitle(t("staff.title"));
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const unit = params.get("unit") ?? undefined;
  const role = (params.get("role") as Role | null) ?? undefined;
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<Staff | "new" | null>(null);
  const units = useUnits();
  const list = useQuery({
    queryKey: [MY, "admin", "staff", unit, role, offset],
    queryFn: () =>
      unwrap(api.GET("/api/identity/v1/staff", { params: { query: { org_unit_id: unit, role, limit: 50, offset } } })),
  });
  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
    setOffset(0);
  };
  const done = async (text: string) => {
    setEditing(null);
    await queryClient.invalidateQueries({ queryKey: [MY, "admin", "staff"] });
    void message.success(text);
  };
  const setStatus = (s: Staff, status: "active" | "disabled") =>
    modal.confirm({
      title: status === "disabled" ? t("staff.disableTitle", { name: s.name }) : t("staff.enableTitle", { name: s.name }),
      content: status === "disabled" ? t("staff.disableText") : t("staff.enableText"),
      okText: status === "disabled" ? t("staff.disable") : t("staff.enable"),
      okButtonProps: { danger: status === "disabled" },
      cancelText: t("cancel"),
      onOk: async () => {
        try {
          await unwrap(api.PATCH("/api/identity/v1/staff/{staff_id}", { params: { path: { staff_id: s.id } }, body: { status } }));
          await done(status === "disabled" ? t("staff.disabled") : t("staff.enabled"));
        } catch (error) {
          modal.error({ title: t("failed"), content: error instanceof Error ? error.message : String(error) });
        }
      },
    });
  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("staff.title")}
      </Typography.Title>
      <div className="staff-toolbar">
        <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing("new")}>
          {t("staff.new")}
        </Button>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          optionRender={indented}
          aria-label={t("staff.filterUnit")}
          placeholder={t("staff.allUnits")}
          className="adm-filter"
          value={unit}
          onChange={(v?: string) => setFilter("unit", v)}
          options={units}
        />
        <Select
          allowClear
          aria-label={t("staff.filterRole")}
          placeholder={t("staff.allRoles")}
          className="adm-filter-role"
          value={role}
          onChange={(v?: string) => setFilter("role", v)}
          options={ROLES.map((r) => ({ value: r, label: t(`staff:roles.${r}`) }))}
        />
      </div>
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table<Staff>
        size="middle"
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        scroll={{ x: true }}
        pagination={{
          current: offset / 50 + 1,
          pageSize: 50,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          onChange: (p) => setOffset((p - 1) * 50),
        }}
        columns={[
          { title: t("staff.username"), dataIndex: "username", className: "nowrap" },
          { title: t("staff.name"), dataIndex: "name", className: "nowrap" },
          { title: t("staff.unit"), key: "unit", className: "adm-col-unit", render: (_, s) => s.org_unit.name },
          {
            title: t("staff.roles"),
            key: "roles",
            className: "adm-col-roles",
            render: (_, s) => (
              <Space size={[4, 4]} wrap>
                {s.roles.map((r) => (
                  <Tag key={r}>{t(`staff:roles.${r}`)}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t("staff.status"),
            key: "status",
            className: "nowrap",
            render: (_, s) => <Tag color={s.status === "active" ? "success" : "default"}>{t(`staff.status_${s.status}`)}</Tag>,
          },
          { title: t("staff.createdAt"), key: "at", className: "nowrap", render: (_, s) => formatDateTime(s.created_at) },
          {
            title: t("actions"),
            key: "actions",
            className: "nowrap",
            render: (_, s) => (
              <Space size={4}>
                <Button size="small" onClick={() => setEditing(s)} aria-label={t("staff.editOf", { name: s.name })}>
                  {t("staff.edit")}
                </Button>
                {s.status === "active" ? (
                  <Button size="small" danger onClick={() => setStatus(s, "disabled")} aria-label={t("staff.disableOf", { name: s.name })}>
                    {t("staff.disable")}
                  </Button>
                ) : (
                  <Button size="small" onClick={() => setStatus(s, "active")} aria-label={t("staff.enableOf", { name: s.name })}>
                    {t("staff.enable")}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === "new" ? t("staff.new") : t("staff.editOf", { name: editing?.name ?? "" })}
        footer={null}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        {editing !== null ? (
          <StaffForm staff={editing === "new" ? undefined : editing} onCancel={() => setEditing(null)} onDone={(text) => void done(text)} />
        ) : null}
      </Modal>
    </div>
  );
}

/** Staff accounts and their roles (人员与角色): create, change unit and roles, deactivate. */
export default function StaffPage() {
  return (
    <AntApp component={false}>
      <StaffList />
    </AntApp>
  );
}
