import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { App as AntApp, Button, Checkbox, Modal, Select, Space, Table, Tag, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { UnitName } from "../../components/UnitName";
import { useSession } from "../../auth/useSession";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { HoursView } from "./Hours";
import { PlaceForm } from "./PlaceForm";
import { managesUnit, type Place } from "./model";
import { indented, KEYS, useUnitOptions } from "./shared";
import { useSetActive } from "./useSetActive";
import "../../staff/staff.css";
import "./places.css";

const PAGE = 50;
/** Roles that may create places (of their own unit; administrators of any). */
const CREATORS = ["admin", "window_clerk", "supervisor"];
/** Roles that see the hall settings (排队设置) a place's row links to. */
const HALL_SETTINGS = ["admin", "supervisor"];

function Places() {
  const { t } = useTranslation("places");
  const { message } = AntApp.useApp();
  useDocumentTitle(t("places.title"));
  const { claims } = useSession();
  const roles = claims?.roles ?? [];
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const unit = params.get("unit") ?? undefined;
  const all = params.get("all") !== "0";
  const [offset, setOffset] = useState(0);
  const [creating, setCreating] = useState(false);
  const units = useUnitOptions();
  const setActive = useSetActive();
  const list = useQuery({
    queryKey: [...KEYS.places, unit, all, offset],
    queryFn: () => unwrap(api.GET("/api/intake/v1/places", { params: { query: { unit, include_inactive: all, limit: PAGE, offset } } })),
  });
  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined) next.delete(key);
    else next.set(key, value);
    setParams(next, { replace: true });
    setOffset(0);
  };
  const created = async (place: Place) => {
    setCreating(false);
    await queryClient.invalidateQueries({ queryKey: KEYS.places });
    void message.success(t("place.created", { name: place.name }));
    navigate(`/work/places/${encodeURIComponent(place.id)}`);
  };
  return (
    <div className="staff-page pl-page">
      <Typography.Title level={1} className="staff-title">
        {t("places.title")}
      </Typography.Title>
      <p className="muted pl-intro">{t("places.intro")}</p>
      <div className="staff-toolbar">
        {roles.some((r) => CREATORS.includes(r)) ? (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
            {t("places.new")}
          </Button>
        ) : null}
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          optionRender={indented}
          aria-label={t("places.filterUnit")}
          placeholder={t("places.allUnits")}
          className="pl-filter"
          value={unit}
          onChange={(v?: string) => setFilter("unit", v)}
          options={units}
        />
        <Checkbox checked={all} onChange={(e) => setFilter("all", e.target.checked ? undefined : "0")}>
          {t("places.includeInactive")}
        </Checkbox>
      </div>
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table<Place>
        size="middle"
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        scroll={{ x: true }}
        pagination={{
          current: offset / PAGE + 1,
          pageSize: PAGE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          onChange: (p) => setOffset((p - 1) * PAGE),
        }}
        columns={[
          {
            title: t("place.name"),
            key: "name",
            className: "pl-col-name",
            render: (_, p) => (
              <>
                <Link to={`/work/places/${encodeURIComponent(p.id)}`}>{p.name}</Link>
                <div className="muted">{p.code}</div>
              </>
            ),
          },
          { title: t("place.unit"), key: "unit", className: "pl-col-unit", render: (_, p) => <UnitName code={p.org_unit_code} /> },
          { title: t("place.address"), dataIndex: "address", className: "pl-col-address" },
          { title: t("place.phone"), key: "phone", className: "nowrap", render: (_, p) => p.phone ?? "—" },
          { title: t("hours.title"), key: "hours", className: "pl-col-hours", render: (_, p) => <HoursView hours={p.hours} compact /> },
          {
            title: t("place.status"),
            key: "active",
            className: "nowrap",
            render: (_, p) => <Tag color={p.active ? "success" : "default"}>{t(p.active ? "place.active" : "place.inactive")}</Tag>,
          },
          {
            title: t("actions"),
            key: "actions",
            className: "nowrap",
            render: (_, p) => (
              <Space size={4} wrap>
                <Link to={`/work/places/${encodeURIComponent(p.id)}`} aria-label={t("places.manageOf", { name: p.name })}>
                  {t("places.manage")}
                </Link>
                {roles.some((r) => HALL_SETTINGS.includes(r)) ? (
                  <Link to={`/work/hall/settings?place=${encodeURIComponent(p.id)}`} aria-label={t("places.hallOf", { name: p.name })}>
                    {t("places.hall")}
                  </Link>
                ) : null}
                {managesUnit(claims, p.org_unit_code) ? (
                  <Button
                    size="small"
                    danger={p.active}
                    onClick={() => setActive(p)}
                    aria-label={t(p.active ? "active.stopOf" : "active.resumeOf", { name: p.name })}
                  >
                    {t(p.active ? "active.stop" : "active.resume")}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <Modal rootClassName="pl-overlay" open={creating} title={t("places.new")} footer={null} width={760} onCancel={() => setCreating(false)} destroyOnHidden>
        {creating ? <PlaceForm onCancel={() => setCreating(false)} onDone={(p) => void created(p)} /> : null}
      </Modal>
    </div>
  );
}

/** Service places (服务场所): every place with its hours and status; create one, stop or resume its bookings. */
export default function PlacesPage() {
  return (
    <AntApp component={false}>
      <Places />
    </AntApp>
  );
}
