import { useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { App as AntApp, Button, Modal, Select, Table, Tag, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { UnitName } from "../../components/UnitName";
import { useSession } from "../../auth/useSession";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { EntrustmentForm } from "./EntrustmentForm";
import { agreementState, districtToday, filterAgreements, type Agreement, type AgreementState } from "./model";
import { indented, useUnitOptions } from "./shared";
import "../../staff/staff.css";
import "./places.css";

const KEY = [MY, "places", "entrustments"] as const;
const STATES: AgreementState[] = ["active", "pending", "expired", "revoked"];
const STATE_COLOURS: Record<AgreementState, string> = { active: "success", pending: "processing", expired: "default", revoked: "error" };
/** Items named in a row before "等 N 项". */
const SHOWN_ITEMS = 3;

/** Every agreement the caller may see: the API has no filters, so all pages are read and filtered here. */
async function allAgreements(): Promise<Agreement[]> {
  const out: Agreement[] = [];
  for (;;) {
    const page = await unwrap(api.GET("/api/intake/v1/entrustments", { params: { query: { limit: 200, offset: out.length } } }));
    out.push(...page.items);
    if (page.items.length === 0 || out.length >= page.total) return out;
  }
}

/** The items an agreement covers: "全部事项" for "*", else the first names and how many more. */
function Items({ codes }: { codes: string[] }) {
  const { t } = useTranslation("places");
  const shown = codes.includes("*") ? [] : codes.slice(0, SHOWN_ITEMS);
  const items = useQueries({
    queries: shown.map((code) => ({
      queryKey: ["places", "item", code],
      queryFn: () => unwrap(api.GET("/api/catalog/v1/items/{code}", { params: { path: { code } } })),
      staleTime: 60 * 60_000,
      retry: false,
    })),
  });
  if (codes.includes("*")) return <Tag color="blue">{t("entrust.allItems")}</Tag>;
  const names = shown.map((code, i) => items[i]?.data?.name ?? code).join(t("listSep"));
  return <>{codes.length > SHOWN_ITEMS ? t("entrust.moreItems", { names, count: codes.length }) : names}</>;
}

function Entrustments() {
  const { t } = useTranslation("places");
  const { modal, message } = AntApp.useApp();
  const errorText = useErrorText();
  useDocumentTitle(t("entrust.title"));
  const { claims } = useSession();
  const roles = claims?.roles ?? [];
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const unit = params.get("unit") ?? undefined;
  const state = (params.get("state") as AgreementState | null) ?? undefined;
  const [creating, setCreating] = useState(false);
  const units = useUnitOptions();
  const today = districtToday();
  const list = useQuery({ queryKey: KEY, queryFn: allAgreements });
  // Newest first: the one just recorded is at the top.
  const shown = useMemo(() => filterAgreements(list.data ?? [], { unit, state }, today).reverse(), [list.data, unit, state, today]);
  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const created = async (a: Agreement) => {
    setCreating(false);
    await queryClient.invalidateQueries({ queryKey: KEY });
    void message.success(t("entrust.created", { ref: a.reference ?? a.id }));
  };
  const revoke = (a: Agreement) =>
    modal.confirm({
      title: t("entrust.revokeTitle", { ref: a.reference ?? a.id }),
      content: t("entrust.revokeText"),
      okText: t("entrust.revoke"),
      okButtonProps: { danger: true },
      cancelText: t("cancel"),
      onOk: async () => {
        try {
          await unwrap(api.POST("/api/intake/v1/entrustments/{agreement_id}/revoke", { params: { path: { agreement_id: a.id } } }));
          await queryClient.invalidateQueries({ queryKey: KEY });
          void message.success(t("entrust.revoked", { ref: a.reference ?? a.id }));
        } catch (error) {
          modal.error({ title: t("failed"), content: errorText(error) });
        }
      },
    });
  return (
    <div className="staff-page pl-page">
      <Typography.Title level={1} className="staff-title">
        {t("entrust.title")}
      </Typography.Title>
      <p className="muted pl-intro">{t("entrust.intro")}</p>
      <div className="staff-toolbar">
        {roles.includes("admin") || roles.includes("approver") ? (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
            {t("entrust.new")}
          </Button>
        ) : null}
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          optionRender={indented}
          aria-label={t("entrust.filterUnit")}
          placeholder={t("entrust.allUnits")}
          className="pl-filter"
          value={unit}
          onChange={(v?: string) => setFilter("unit", v)}
          options={units}
        />
        <Select
          allowClear
          aria-label={t("entrust.filterState")}
          placeholder={t("entrust.allStates")}
          className="pl-filter-state"
          value={state}
          onChange={(v?: string) => setFilter("state", v)}
          options={STATES.map((s) => ({ value: s, label: t(`entrust.state.${s}`) }))}
        />
      </div>
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table<Agreement>
        size="middle"
        rowKey="id"
        loading={list.isPending}
        dataSource={shown}
        scroll={{ x: true }}
        pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
        columns={[
          { title: t("entrust.reference"), key: "reference", className: "pl-col-ref", render: (_, a) => a.reference ?? "—" },
          { title: t("entrust.entrusting"), key: "entrusting", className: "pl-col-unit", render: (_, a) => <UnitName code={a.entrusting_unit_code} /> },
          { title: t("entrust.entrusted"), key: "entrusted", className: "pl-col-unit", render: (_, a) => <UnitName code={a.entrusted_unit_code} /> },
          { title: t("entrust.items"), key: "items", className: "pl-col-items", render: (_, a) => <Items codes={a.item_codes} /> },
          {
            title: t("entrust.validity"),
            key: "validity",
            className: "pl-col-validity",
            render: (_, a) => t("dateRange", { from: a.valid_from, to: a.valid_until }),
          },
          {
            title: t("entrust.stateTitle"),
            key: "state",
            className: "nowrap",
            render: (_, a) => {
              const s = agreementState(a, today);
              return (
                <>
                  <Tag color={STATE_COLOURS[s]}>{t(`entrust.state.${s}`)}</Tag>
                  {a.revoked_at ? <div className="muted">{formatDateTime(a.revoked_at)}</div> : null}
                </>
              );
            },
          },
          { title: t("entrust.createdAt"), key: "at", className: "nowrap", render: (_, a) => formatDateTime(a.created_at) },
          ...(roles.includes("admin")
            ? [
                {
                  title: t("actions"),
                  key: "actions",
                  className: "nowrap",
                  render: (_: unknown, a: Agreement) =>
                    a.revoked_at ? (
                      "—"
                    ) : (
                      <Button size="small" danger onClick={() => revoke(a)} aria-label={t("entrust.revokeOf", { ref: a.reference ?? a.id })}>
                        {t("entrust.revoke")}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
      <Modal rootClassName="pl-overlay" open={creating} title={t("entrust.new")} footer={null} width={640} onCancel={() => setCreating(false)} destroyOnHidden>
        {creating ? <EntrustmentForm onCancel={() => setCreating(false)} onDone={(a) => void created(a)} /> : null}
      </Modal>
    </div>
  );
}

/** Entrustment agreements (委托受理协议): which unit accepts which items for another; record, revoke. */
export default function EntrustmentsPage() {
  return (
    <AntApp component={false}>
      <Entrustments />
    </AntApp>
  );
}
