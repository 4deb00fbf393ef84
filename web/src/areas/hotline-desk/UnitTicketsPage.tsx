import { useState } from "react";
import { Alert, Button, Typography } from "antd";
import { ReloadOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { LightCounts, ListParts, PartCount, TicketTable, UnitName, useNow, useTicketsByStatus, useViewer } from "./parts";
import "./desk.css";

/** A handling unit's tickets (本单位工单): to respond to, being handled, replied, and those it only co-handles. */
export default function UnitTicketsPage() {
  const { t } = useTranslation("hotline-desk");
  useDocumentTitle(t("unit.title"));
  const now = useNow();
  const { unit } = useViewer();
  const [tab, setTab] = useState("respond");
  const list = useTicketsByStatus(["dispatched", "in_progress", "replied", "called_back", "returned"], "unit");
  const items = list.data?.items ?? [];
  const lead = items.filter((x) => x.lead_unit_code === unit);
  const toRespond = lead.filter((x) => x.status === "dispatched");
  const handling = lead.filter((x) => x.status === "in_progress");
  const replied = lead.filter((x) => x.status === "replied" || x.status === "called_back");
  const others = items.filter((x) => x.lead_unit_code !== unit);
  const label = (text: string, count: number | undefined) => (
    <span>
      {text} <PartCount count={count} />
    </span>
  );
  return (
    <div className="staff-page desk-page">
      <Typography.Title level={1} className="staff-title">
        {t("unit.title")}
      </Typography.Title>
      <p className="muted desk-intro">
        {unit ? <UnitName code={unit} /> : null} · {t("unit.intro")}
      </p>
      <div className="staff-toolbar">
        <LightCounts tickets={[...toRespond, ...handling]} now={now} />
        <span className="header-spacer" />
        <Button icon={<ReloadOutlined aria-hidden />} onClick={() => void list.refetch()} loading={list.isFetching}>
          {t("list.refresh")}
        </Button>
      </div>
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.data?.truncated ? <Alert type="warning" showIcon message={t("list.truncated")} className="desk-alert" /> : null}
      <ListParts
        label={t("list.parts")}
        active={tab}
        onChange={setTab}
        items={[
          {
            key: "respond",
            label: label(t("unit.respond"), toRespond.length),
            children: <TicketTable tickets={toRespond} now={now} loading={list.isPending} columns={["light", "number", "title", "type", "category", "place", "due", "dispatch"]} />,
          },
          {
            key: "handling",
            label: label(t("unit.handling"), handling.length),
            children: <TicketTable tickets={handling} now={now} loading={list.isPending} columns={["light", "number", "title", "type", "category", "place", "due"]} />,
          },
          {
            key: "replied",
            label: label(t("unit.replied"), replied.length),
            children: <TicketTable tickets={replied} now={now} loading={list.isPending} columns={["number", "title", "category", "place", "status", "replied"]} />,
          },
          {
            key: "others",
            label: label(t("unit.others"), others.length),
            children: (
              <>
                <p className="muted desk-intro">{t("unit.othersHint")}</p>
                <TicketTable tickets={others} now={now} loading={list.isPending} columns={["light", "number", "title", "category", "status", "unit", "due"]} />
              </>
            ),
          },
        ]}
      />
    </div>
  );
}
