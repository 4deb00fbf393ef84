import { useState } from "react";
import { Alert, Button, Typography } from "antd";
import { ReloadOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { ListParts, PartCount, TicketTable, useNow, useTicketsByStatus } from "./parts";
import { byReplied } from "./model";
import "./desk.css";

/** Call-backs (回访): replied tickets to call the caller back about, and those called back to close or reopen. */
export default function CallbacksPage() {
  const { t } = useTranslation("hotline-desk");
  useDocumentTitle(t("callbacks.title"));
  const now = useNow();
  const [tab, setTab] = useState("replied");
  const list = useTicketsByStatus(["replied", "called_back"], "callbacks");
  // No time limit runs for the call-back (hotline-svc has none): the longest-waiting reply first.
  const items = byReplied(list.data?.items ?? []);
  const replied = items.filter((x) => x.status === "replied");
  const calledBack = items.filter((x) => x.status === "called_back");
  const label = (text: string, count: number | undefined) => (
    <span>
      {text} <PartCount count={count} />
    </span>
  );
  return (
    <div className="staff-page desk-page">
      <Typography.Title level={1} className="staff-title">
        {t("callbacks.title")}
      </Typography.Title>
      <p className="muted desk-intro">{t("callbacks.intro")}</p>
      <div className="staff-toolbar">
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
            key: "replied",
            label: label(t("callbacks.replied"), replied.length),
            children: <TicketTable tickets={replied} now={now} loading={list.isPending} columns={["number", "title", "type", "category", "unit", "replied", "due"]} />,
          },
          {
            key: "calledBack",
            label: label(t("callbacks.calledBack"), calledBack.length),
            children: <TicketTable tickets={calledBack} now={now} loading={list.isPending} columns={["number", "title", "category", "unit", "replied"]} />,
          },
        ]}
      />
    </div>
  );
}
