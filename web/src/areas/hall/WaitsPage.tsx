import { useState } from "react";
import { Alert, Button, Card, Col, Empty, Input, Row, Skeleton, Statistic, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { daysBefore, districtToday, percent } from "./model";
import { KEYS } from "./queries";
import { HallSelect, useHalls } from "./parts";
import "./hall.css";

const getWaits = (placeId: string, from: string, to: string) =>
  unwrap(api.GET("/api/intake/v1/supervision/queue-waits", { params: { query: { place_id: placeId, from, to } } }));

/**
 * The waiting-time indicator (限时等候): for a hall and a period, the numbers taken, the average
 * wait (taken → first called) and 超时等候率, the share called after the limit, with its sample.
 */
export default function WaitsPage() {
  const { t } = useTranslation("hall");
  useDocumentTitle(t("waits.title"));
  const halls = useHalls();
  const today = districtToday();
  const [chosen, setChosen] = useState<string | undefined>();
  const [draft, setDraft] = useState({ from: daysBefore(today, 29), to: today });
  const [period, setPeriod] = useState(draft);
  const placeId = chosen ?? halls.data?.[0]?.id;
  const waits = useQuery({
    queryKey: KEYS.waits(placeId ?? "", period.from, period.to),
    queryFn: () => getWaits(placeId ?? "", period.from, period.to),
    enabled: placeId !== undefined,
  });
  const wrongOrder = draft.from !== "" && draft.to !== "" && draft.from > draft.to;
  const d = waits.data;

  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("waits.title")}
      </Typography.Title>
      <p className="muted">{t("waits.intro")}</p>
      <form
        className="staff-toolbar hall-period"
        onSubmit={(e) => {
          e.preventDefault();
          if (!wrongOrder && draft.from && draft.to) setPeriod(draft);
        }}
      >
        {halls.data ? <HallSelect id="hall-waits-place" halls={halls.data} value={placeId} onChange={setChosen} /> : null}
        <span className="hall-field">
          <label htmlFor="hall-waits-from">{t("waits.from")}</label>
          <Input id="hall-waits-from" type="date" value={draft.from} max={today} onChange={(e) => setDraft((p) => ({ ...p, from: e.target.value }))} />
        </span>
        <span className="hall-field">
          <label htmlFor="hall-waits-to">{t("waits.to")}</label>
          <Input id="hall-waits-to" type="date" value={draft.to} max={today} onChange={(e) => setDraft((p) => ({ ...p, to: e.target.value }))} />
        </span>
        <Button type="primary" htmlType="submit" disabled={wrongOrder}>
          {t("waits.show")}
        </Button>
        <Button onClick={() => void waits.refetch()} disabled={placeId === undefined}>
          {t("waits.refresh")}
        </Button>
      </form>
      {wrongOrder ? <Alert type="error" showIcon role="alert" message={t("waits.wrongOrder")} className="hall-note" /> : null}
      {halls.isError ? <ErrorAlert error={halls.error} onRetry={() => void halls.refetch()} /> : null}
      {halls.data && halls.data.length === 0 ? <Empty description={t("waits.noHalls")} /> : null}
      {waits.isError ? <ErrorAlert error={waits.error} onRetry={() => void waits.refetch()} /> : null}
      {waits.isPending && placeId ? <Skeleton active paragraph={{ rows: 4 }} /> : null}
      {d ? (
        <section aria-labelledby="hall-waits-result" aria-busy={waits.isFetching}>
          <h2 id="hall-waits-result" className="hall-section-title">
            {t("waits.result", { place: d.place_name, from: d.from_day, to: d.to_day })}
          </h2>
          <Row gutter={[16, 16]}>
            <Col xs={24} sm={12} xl={6}>
              <Card className="hall-stat">
                <Statistic title={t("waits.tickets")} value={d.tickets} />
                <p className="muted">{t("waits.ticketsHint", { never: d.never_called, noShow: d.no_show })}</p>
              </Card>
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <Card className="hall-stat">
                <Statistic title={t("waits.called")} value={d.called} />
                <p className="muted">{t("waits.calledHint")}</p>
              </Card>
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <Card className="hall-stat">
                <Statistic
                  title={t("waits.average")}
                  value={d.average_wait_minutes ?? "—"}
                  precision={d.average_wait_minutes === null ? undefined : 1}
                  suffix={d.average_wait_minutes === null ? undefined : t("waits.minutes")}
                />
                <p className="muted">{t("waits.sample", { count: d.called })}</p>
              </Card>
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <Card className="hall-stat">
                <Statistic title={t("waits.overRate")} value={percent(d.over_limit_rate)} />
                <p className="muted">{t("waits.overOf", { over: d.over_limit, called: d.called, minutes: d.wait_limit_minutes })}</p>
              </Card>
            </Col>
          </Row>
          {d.called === 0 ? <Alert type="info" showIcon message={t("waits.noSample")} className="hall-note" /> : null}
        </section>
      ) : null}
    </div>
  );
}
