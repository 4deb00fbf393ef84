import { useState } from "react";
import { Link } from "react-router";
import { Grid, Segmented, Table, Tag, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { listOffers, offerColour, OFFER_KEYS, type Offer, type OfferStatus } from "./queries";
import "./offers.css";

const FILTERS: (OfferStatus | "all")[] = ["all", "offered", "confirmed", "declined", "expired"];

/** 免申即享推送: the offers of the unit's items (supervisors: all), with each answer and the case it opened. */
export default function StaffOffersPage() {
  const { t } = useTranslation("offers");
  useDocumentTitle(t("staff.title"));
  const wide = Grid.useBreakpoint().md ?? false;
  const [filter, setFilter] = useState<OfferStatus | "all">("all");
  const offers = useQuery({ queryKey: OFFER_KEYS.list(`staff-${filter}`), queryFn: () => listOffers(filter === "all" ? undefined : filter, 200) });
  const columns = [
    {
      title: t("staff.person"),
      key: "person",
      render: (_: unknown, o: Offer) => (
        <>
          <div>{o.person_name}</div>
          <div className="muted">{o.number}</div>
          {wide ? null : <div className="muted">{o.item_name}</div>}
        </>
      ),
    },
    ...(wide
      ? [
          { title: t("staff.item"), dataIndex: "item_name", key: "item" },
          { title: t("reason"), dataIndex: "reason", key: "reason" },
          { title: t("offeredAt"), key: "at", render: (_: unknown, o: Offer) => formatDateTime(o.offered_at) },
        ]
      : []),
    {
      title: t("staff.filter"),
      key: "status",
      render: (_: unknown, o: Offer) => (
        <>
          <Tag color={offerColour(o.status)}>{t(`status.${o.status}`, { defaultValue: o.status_name })}</Tag>
          {o.application_id ? (
            <div>
              <Link to={`/work/approval/cases/${encodeURIComponent(o.application_id)}`}>{t("staff.case")}</Link>
            </div>
          ) : null}
        </>
      ),
    },
  ];
  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("staff.title")}
      </Typography.Title>
      <p className="muted">{t("staff.intro")}</p>
      <Segmented
        aria-label={t("staff.filter")}
        value={filter}
        onChange={(v) => setFilter(v as OfferStatus | "all")}
        options={FILTERS.map((f) => ({ value: f, label: f === "all" ? t("staff.all") : t(`status.${f}`) }))}
        className="offers-filter"
      />
      {offers.isError ? <ErrorAlert error={offers.error} onRetry={() => void offers.refetch()} /> : null}
      <Table<Offer> size="small" rowKey="id" loading={offers.isPending} columns={columns} dataSource={offers.data?.items ?? []} pagination={false} locale={{ emptyText: t("staff.none") }} />
    </div>
  );
}
