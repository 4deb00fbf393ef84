import { useEffect, useState } from "react";
import { Checkbox, Input, Table, Tag } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { formatDateTime } from "../../lib/format";
import { ItemPicker } from "./ItemPicker";
import type { Slot } from "./model";
import { KEYS } from "./shared";

const PAGE = 20;
const PERIOD_COLOURS: Record<Slot["period"], string> = { regular: "blue", extended: "gold", weekend: "green" };

/** What the slot list shows: one item or all, days, only slots with a seat left. */
export interface SlotFilter {
  item?: string;
  from?: string;
  to?: string;
  availableOnly?: boolean;
}

/** A place's coming slots (预约时段), filtered by item, days and free seats, a page at a time. */
export function SlotList({ placeId, filter, onFilter }: { placeId: string; filter: SlotFilter; onFilter: (f: SlotFilter) => void }) {
  const { t } = useTranslation("places");
  const [offset, setOffset] = useState(0);
  // A new filter (also one set from outside, after a generation) starts at the first page.
  useEffect(() => setOffset(0), [filter]);
  const slots = useQuery({
    queryKey: [...KEYS.slots(placeId), filter, offset],
    queryFn: () =>
      unwrap(
        api.GET("/api/intake/v1/places/{place_id}/slots", {
          params: {
            path: { place_id: placeId },
            query: {
              item_code: filter.item,
              from: filter.from || undefined,
              to: filter.to || undefined,
              available_only: filter.availableOnly ?? false,
              limit: PAGE,
              offset,
            },
          },
        }),
      ),
  });
  const set = (change: Partial<SlotFilter>) => {
    onFilter({ ...filter, ...change });
  };
  const time = (iso: string) => formatDateTime(iso).slice(11);
  return (
    <>
      <div className="staff-toolbar pl-slot-filter">
        <div className="pl-slot-item">
          <ItemPicker aria-label={t("slots.filterItem")} placeholder={t("slots.allItems")} value={filter.item} onChange={(v) => set({ item: (v as string | undefined) ?? undefined })} />
        </div>
        <label className="pl-inline">
          {t("slots.from")}
          <Input type="date" value={filter.from ?? ""} onChange={(e) => set({ from: e.target.value || undefined })} />
        </label>
        <label className="pl-inline">
          {t("slots.to")}
          <Input type="date" value={filter.to ?? ""} onChange={(e) => set({ to: e.target.value || undefined })} />
        </label>
        <Checkbox checked={filter.availableOnly ?? false} onChange={(e) => set({ availableOnly: e.target.checked })}>
          {t("slots.availableOnly")}
        </Checkbox>
      </div>
      {slots.isError ? <ErrorAlert error={slots.error} onRetry={() => void slots.refetch()} /> : null}
      <Table<Slot>
        size="small"
        rowKey="id"
        loading={slots.isPending}
        dataSource={slots.data?.items ?? []}
        scroll={{ x: true }}
        locale={{ emptyText: t("slots.none") }}
        pagination={{
          current: offset / PAGE + 1,
          pageSize: PAGE,
          total: slots.data?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          onChange: (p) => setOffset((p - 1) * PAGE),
        }}
        columns={[
          { title: t("slots.day"), dataIndex: "day", className: "nowrap" },
          { title: t("slots.time"), key: "time", className: "nowrap", render: (_, s) => `${time(s.starts_at)}–${time(s.ends_at)}` },
          { title: t("slots.period"), key: "period", className: "nowrap", render: (_, s) => <Tag color={PERIOD_COLOURS[s.period]}>{t(`period.${s.period}`)}</Tag> },
          { title: t("slots.item"), key: "item", className: "pl-col-item", render: (_, s) => s.item_name },
          { title: t("slots.capacity"), dataIndex: "capacity", className: "nowrap" },
          { title: t("slots.booked"), dataIndex: "booked", className: "nowrap" },
          { title: t("slots.available"), dataIndex: "available", className: "nowrap" },
        ]}
      />
    </>
  );
}
