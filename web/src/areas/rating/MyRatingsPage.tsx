import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { Alert, Button, Empty, List, Skeleton, Tabs, Tag, Timeline } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { components } from "../../api/schema";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { RequireCitizen } from "../../components/RequireCitizen";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDate, formatDateTime } from "../../lib/format";
import { LevelPicker } from "./RatingForm";
import { caseColor, isWaitingForResponse } from "./cases";
import type { RatingLevel } from "./levels";
import "./rating.css";

type ServiceEvent = components["schemas"]["evaluation__ServiceEventRead"];
type OwnCase = components["schemas"]["evaluation__BadReviewOwnRead"];
const TABS = ["todo", "rated", "cases"] as const;
type Tab = (typeof TABS)[number];

function useServices(rated: boolean) {
  return useQuery({
    queryKey: [MY, "rating", "services", rated],
    queryFn: () => unwrap(api.GET("/api/evaluation/v1/service-events/mine", { params: { query: { rated, limit: 200 } } })),
  });
}

function ServiceItem({ event, action }: { event: ServiceEvent; action?: React.ReactNode }) {
  const { t } = useTranslation("rating");
  return (
    <List.Item className="rating-service" actions={action ? [action] : undefined}>
      <div className="rating-service-main">
        <h3 className="rating-service-name">
          {event.item_name ?? t("service.unnamed")} <Tag>{t(`kind.${event.kind}`)}</Tag>
        </h3>
        <div className="muted">
          {event.reference_no ? `${event.reference_no} · ` : ""}
          {t("service.servedOn", { at: formatDateTime(event.served_at) })}
        </div>
        {event.rating_level ? (
          <Tag color={event.rating_level >= 4 ? "red" : "green"}>{t(`level.${event.rating_level}`)}</Tag>
        ) : (
          <div className="muted">{t("service.until", { at: formatDateTime(event.rateable_until) })}</div>
        )}
      </div>
    </List.Item>
  );
}

function ToRate() {
  const { t } = useTranslation("rating");
  const list = useServices(false);
  const open = (list.data?.items ?? []).filter((e) => new Date(e.rateable_until).getTime() > Date.now());
  return (
    <>
      {list.isPending ? <Skeleton active /> : null}
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.data && open.length === 0 ? <Empty description={t("mine.noneToRate")} /> : null}
      {open.length > 0 ? (
        <List
          className="rating-list"
          dataSource={open}
          rowKey="id"
          renderItem={(e) => (
            <ServiceItem
              event={e}
              action={
                <Link className="rating-go" to={`/my/ratings/${encodeURIComponent(e.id)}`} aria-label={t("mine.rateThis", { name: e.item_name ?? "" })}>
                  {t("mine.rate")}
                </Link>
              }
            />
          )}
        />
      ) : null}
    </>
  );
}

function Rated() {
  const { t } = useTranslation("rating");
  const list = useServices(true);
  return (
    <>
      {list.isPending ? <Skeleton active /> : null}
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.data && list.data.total === 0 ? <Empty description={t("mine.noneRated")} /> : null}
      {list.data && list.data.total > 0 ? (
        <List className="rating-list" dataSource={list.data.items} rowKey="id" renderItem={(e) => <ServiceItem event={e} />} />
      ) : null}
    </>
  );
}

/** The rater's second rating: how the bad review was handled (整改满意度), once, after the feedback. */
function ResponseRating({ item }: { item: OwnCase }) {
  const { t } = useTranslation("rating");
  const errorText = useErrorText();
  const client = useQueryClient();
  const [level, setLevel] = useState<RatingLevel | undefined>();
  const [missing, setMissing] = useState(false);
  const send = useMutation({
    mutationFn: (chosen: RatingLevel) =>
      unwrap(
        api.POST("/api/evaluation/v1/bad-reviews/{case_id}/response-rating", {
          params: { path: { case_id: item.id } },
          body: { level: chosen },
        }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: [MY, "rating", "cases"] }),
  });
  const labelId = `response-${item.id}`;
  return (
    <form
      className="rating-response"
      onSubmit={(e) => {
        e.preventDefault();
        if (level === undefined) setMissing(true);
        else send.mutate(level);
      }}
    >
      <p id={labelId} className="rating-response-label">
        {t("cases.rateResponse")}
      </p>
      <LevelPicker
        labelledBy={labelId}
        value={level}
        onChange={(l) => {
          setLevel(l);
          setMissing(false);
        }}
      />
      {missing ? (
        <div className="error-text" role="alert">
          {t("form.levelRequired")}
        </div>
      ) : null}
      {send.isError ? (
        <div className="error-text" role="alert">
          {errorText(send.error)}
        </div>
      ) : null}
      <Button type="primary" htmlType="submit" loading={send.isPending} className="rating-response-submit">
        {t("cases.sendResponse")}
      </Button>
    </form>
  );
}

function CaseCard({ item, names }: { item: OwnCase; names: Map<string, string> }) {
  const { t } = useTranslation("rating");
  return (
    <article className="rating-case" aria-labelledby={`case-${item.id}`}>
      <h3 id={`case-${item.id}`} className="rating-service-name">
        {names.get(item.rating_id) ?? t("cases.untitled")} <Tag color="red">{t(`level.${item.level}`)}</Tag>
      </h3>
      <div className="rating-case-status">
        <Tag color={caseColor(item.status)}>{t(`caseStatus.${item.status}`)}</Tag>
        {item.overdue ? <Tag color="red">{t("cases.overdue")}</Tag> : null}
      </div>
      <dl className="rating-facts">
        <dt>{t("cases.opened")}</dt>
        <dd>{formatDateTime(item.opened_at)}</dd>
        <dt>{t("cases.deadline")}</dt>
        <dd>{formatDateTime(item.deadline_at)}</dd>
        {item.resolution ? (
          <>
            <dt>{t("cases.resolution")}</dt>
            <dd>{t(`resolution.${item.resolution}`)}</dd>
          </>
        ) : null}
        {item.rectify_due_on ? (
          <>
            <dt>{t("cases.rectifyBy")}</dt>
            <dd>{formatDate(item.rectify_due_on)}</dd>
          </>
        ) : null}
        {item.response_level ? (
          <>
            <dt>{t("cases.yourResponse")}</dt>
            <dd>{t(`level.${item.response_level}`)}</dd>
          </>
        ) : null}
      </dl>
      {item.feedback ? (
        <Alert type="success" showIcon className="rating-feedback" message={t("cases.feedback")} description={<span className="prewrap">{item.feedback}</span>} />
      ) : null}
      <h4 className="rating-steps-title">{t("cases.steps")}</h4>
      <Timeline
        className="rating-steps"
        items={item.steps.map((s, i) => ({
          key: `${s.action}-${i}`,
          children: (
            <>
              <strong>{t(`step.${s.action}`)}</strong>
              <div className="muted">
                <time dateTime={s.at}>{formatDateTime(s.at)}</time>
              </div>
              {s.note ? <div className="prewrap">{s.note}</div> : null}
            </>
          ),
        }))}
      />
      {isWaitingForResponse(item) ? <ResponseRating item={item} /> : null}
    </article>
  );
}

function Cases() {
  const { t } = useTranslation("rating");
  const cases = useQuery({
    queryKey: [MY, "rating", "cases"],
    queryFn: () => unwrap(api.GET("/api/evaluation/v1/bad-reviews/mine", { params: { query: { limit: 200 } } })),
  });
  const rated = useServices(true);
  const names = new Map<string, string>();
  for (const e of rated.data?.items ?? []) if (e.rating_id && e.item_name) names.set(e.rating_id, e.item_name);
  return (
    <>
      <p className="muted-p">{t("cases.intro")}</p>
      {cases.isPending ? <Skeleton active /> : null}
      {cases.isError ? <ErrorAlert error={cases.error} onRetry={() => void cases.refetch()} /> : null}
      {cases.data && cases.data.total === 0 ? <Empty description={t("cases.none")} /> : null}
      {cases.data?.items.map((c) => <CaseCard key={c.id} item={c} names={names} />)}
    </>
  );
}

function MyRatings() {
  const { t } = useTranslation("rating");
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get("tab") ?? "") ? (params.get("tab") as Tab) : "todo";
  useDocumentTitle(t("mine.title"));
  return (
    <div className="page rating-page">
      <div className="rating-head">
        <h1 tabIndex={-1}>{t("mine.title")}</h1>
        <Link to="/rate">{t("mine.haveCode")}</Link>
      </div>
      <p className="muted-p">{t("mine.intro")}</p>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === "todo" ? {} : { tab: key }, { replace: true })}
        items={[
          { key: "todo", label: t("mine.tabTodo"), children: <ToRate /> },
          { key: "rated", label: t("mine.tabRated"), children: <Rated /> },
          { key: "cases", label: t("mine.tabCases"), children: <Cases /> },
        ]}
      />
    </div>
  );
}

export default function MyRatingsPage() {
  return (
    <RequireCitizen>
      <MyRatings />
    </RequireCitizen>
  );
}
