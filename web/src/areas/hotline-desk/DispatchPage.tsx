import { useState } from "react";
import { Alert, Button, Typography } from "antd";
import { ReloadOutlined } from "@ant-design/icons";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { LightCounts, ListParts, PartCount, TicketTable, UnitName, useNow, useTicketsByStatus } from "./parts";
import type { Ticket } from "./model";
import "./desk.css";

/** The dispatcher's desk (派单台): what waits for dispatch, what the catalogue dispatched, what units disputed. */
export default function DispatchPage() {
  const { t } = useTranslation("hotline-desk");
  useDocumentTitle(t("dispatch.title"));
  const now = useNow();
  const [tab, setTab] = useState("queue");
  const queue = useTicketsByStatus(["registered", "returned"], "dispatch-queue");
  const dispatched = useTicketsByStatus(["dispatched"], "dispatch-done");
  const waiting = queue.data?.items ?? [];
  const returned = waiting.filter((x) => x.status === "returned");
  const results = dispatched.data?.items ?? [];
  const disputeColumns: ColumnsType<Ticket> = [
    {
      key: "return",
      title: t("col.returnReason"),
      width: 260,
      render: (_, r) => {
        const d = [...r.dispatches].reverse().find((x) => x.returned_at);
        return d ? (
          <div>
            <div className="muted">
              <UnitName code={d.unit_code} />
            </div>
            <div className="desk-clamp">{d.return_reason}</div>
          </div>
        ) : (
          "—"
        );
      },
    },
  ];
  const refresh = () => {
    void queue.refetch();
    void dispatched.refetch();
  };
  const label = (text: string, count: number | undefined) => (
    <span>
      {text} <PartCount count={count} />
    </span>
  );
  return (
    <div className="staff-page desk-page">
      <Typography.Title level={1} className="staff-title">
        {t("dispatch.title")}
      </Typography.Title>
      <p className="muted desk-intro">{t("dispatch.intro")}</p>
      <div className="staff-toolbar">
        <LightCounts tickets={[...waiting, ...results]} now={now} />
        <span className="header-spacer" />
        <Button icon={<ReloadOutlined aria-hidden />} onClick={refresh} loading={queue.isFetching || dispatched.isFetching}>
          {t("list.refresh")}
        </Button>
      </div>
      {queue.isError ? <ErrorAlert error={queue.error} onRetry={() => void queue.refetch()} /> : null}
      {dispatched.isError ? <ErrorAlert error={dispatched.error} onRetry={() => void dispatched.refetch()} /> : null}
      {queue.data?.truncated || dispatched.data?.truncated ? <Alert type="warning" showIcon message={t("list.truncated")} className="desk-alert" /> : null}
      <ListParts
        label={t("list.parts")}
        active={tab}
        onChange={setTab}
        items={[
          {
            key: "queue",
            label: label(t("dispatch.queue"), queue.data ? waiting.length : undefined),
            children: (
              <TicketTable tickets={waiting} now={now} loading={queue.isPending} columns={["light", "number", "title", "type", "category", "place", "status", "due", "created"]} />
            ),
          },
          {
            key: "results",
            label: label(t("dispatch.results"), dispatched.data ? results.length : undefined),
            children: (
              <>
                <p className="muted desk-intro">{t("dispatch.resultsHint")}</p>
                <TicketTable tickets={results} now={now} loading={dispatched.isPending} columns={["light", "number", "title", "category", "place", "unit", "dispatch", "due"]} />
              </>
            ),
          },
          {
            key: "disputes",
            label: label(t("dispatch.disputes"), queue.data ? returned.length : undefined),
            children: (
              <>
                <p className="muted desk-intro">{t("dispatch.disputesHint")}</p>
                <TicketTable tickets={returned} now={now} loading={queue.isPending} columns={["light", "number", "title", "category", "place", "due"]} extra={disputeColumns} />
              </>
            ),
          },
        ]}
      />
    </div>
  );
}
