import { useEffect, useRef, useState } from "react";
import { Alert, Button, Card, Empty, Modal, Skeleton, Table, Tag, Typography } from "antd";
import { CheckOutlined, NotificationOutlined, PlayCircleOutlined, SoundOutlined, StopOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { Light } from "../../staff/Light";
import { minutesLeft, minutesWaited, ticketActions, waitLight, workList, type Ticket } from "./model";
import { KEYS } from "./queries";
import { TicketStatusTag, useNow } from "./parts";
import "./hall.css";

type Action = "call" | "recall" | "start" | "complete" | "noShow";

const SHORTCUTS: Record<Action, string> = { call: "1", recall: "2", start: "3", complete: "4", noShow: "5" };

const getWindow = () => unwrap(api.GET("/api/intake/v1/queue/window"));
const getWaiting = (placeId: string) =>
  unwrap(
    api.GET("/api/intake/v1/places/{place_id}/queue/tickets", {
      params: { path: { place_id: placeId }, query: { status: "waiting", limit: 200 } },
    }),
  );

function act(action: Action, ticketId: string | undefined): Promise<Ticket> {
  if (action === "call") return unwrap(api.POST("/api/intake/v1/queue/window/call-next"));
  const path = { params: { path: { ticket_id: ticketId ?? "" } } };
  switch (action) {
    case "recall":
      return unwrap(api.POST("/api/intake/v1/queue/tickets/{ticket_id}/recall", path));
    case "start":
      return unwrap(api.POST("/api/intake/v1/queue/tickets/{ticket_id}/start", path));
    case "complete":
      return unwrap(api.POST("/api/intake/v1/queue/tickets/{ticket_id}/complete", path));
    case "noShow":
      return unwrap(api.POST("/api/intake/v1/queue/tickets/{ticket_id}/no-show", path));
  }
}

/** Where focus goes after an action: the next step a clerk usually takes. */
const NEXT: Record<Action, Action> = { call: "start", recall: "start", start: "complete", complete: "call", noShow: "call" };

/**
 * The window's calling panel (叫号): the open ticket big, how many wait, 叫号 · 重呼 · 开始办理 ·
 * 办结 · 过号 (confirmed), Alt+1…5 from anywhere on the page, and the work list of waiting numbers
 * in the order they are called, each with its 限时等候 light.
 */
export default function WindowPage() {
  const { t } = useTranslation("hall");
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [modal, modalHolder] = Modal.useModal();
  const now = useNow(30_000);
  const [said, setSaid] = useState<string>("");
  const [problem, setProblem] = useState<unknown>(null);
  const buttons = useRef<Partial<Record<Action, HTMLButtonElement | null>>>({});
  const focusNext = useRef<Action | null>(null);
  useDocumentTitle(t("window.title"));

  const station = useQuery({ queryKey: KEYS.window, queryFn: getWindow, refetchInterval: 10_000, staleTime: 0 });
  const placeId = station.data?.place_id;
  const waiting = useQuery({
    queryKey: KEYS.waiting(placeId ?? ""),
    queryFn: () => getWaiting(placeId ?? ""),
    enabled: placeId !== undefined,
    refetchInterval: 15_000,
    staleTime: 0,
  });

  const current = station.data?.current ?? null;
  const allowed = ticketActions(current?.status);
  const can: Record<Action, boolean> = {
    call: station.data !== undefined && current === null,
    recall: allowed.recall,
    start: allowed.start,
    complete: allowed.complete,
    noShow: allowed.noShow,
  };

  const mutation = useMutation({
    mutationFn: ({ action }: { action: Action }) => act(action, current?.id),
    onSuccess: (ticket, { action }) => {
      setProblem(null);
      setSaid(t(`window.done.${action}`, { no: ticket.ticket_no, window: ticket.window_name ?? "" }));
      focusNext.current = NEXT[action];
      void queryClient.invalidateQueries({ queryKey: KEYS.window });
      if (placeId) void queryClient.invalidateQueries({ queryKey: KEYS.waiting(placeId) });
    },
    onError: (error) => {
      setSaid("");
      setProblem(error);
      void queryClient.invalidateQueries({ queryKey: KEYS.window });
    },
  });

  // After the panel has redrawn, focus the next step (a disabled button cannot take it: then 叫号).
  useEffect(() => {
    const next = focusNext.current;
    if (!next || mutation.isPending || station.isFetching) return;
    focusNext.current = null;
    const button = buttons.current[next];
    (button && !button.disabled ? button : buttons.current.call)?.focus();
  }, [station.data, station.isFetching, mutation.isPending]);

  const run = (action: Action) => {
    if (mutation.isPending || !can[action]) return;
    if (action === "noShow" && current) {
      void modal.confirm({
        title: t("window.noShowTitle", { no: current.ticket_no }),
        content: t("window.noShowText"),
        okText: t("window.noShowOk"),
        okButtonProps: { danger: true },
        cancelText: t("window.cancel"),
        onOk: () => mutation.mutate({ action }),
      });
      return;
    }
    mutation.mutate({ action });
  };
  const latestRun = useRef(run);
  latestRun.current = run;

  // Alt+1 … Alt+5 from anywhere on the page.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const action = (Object.keys(SHORTCUTS) as Action[]).find((a) => event.code === `Digit${SHORTCUTS[a]}`);
      if (!action) return;
      event.preventDefault();
      latestRun.current(action);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  if (station.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (station.isError) {
    const refused = station.error instanceof ApiError && station.error.status === 403;
    return (
      <div className="staff-page">
        <Typography.Title level={1} className="staff-title">
          {t("window.title")}
        </Typography.Title>
        {refused ? (
          <Alert type="info" showIcon message={t("window.notAtWindow")} description={errorText(station.error)} />
        ) : (
          <ErrorAlert error={station.error} onRetry={() => void station.refetch()} />
        )}
      </div>
    );
  }

  const { window: desk, place_name } = station.data;
  const list = workList(waiting.data?.items ?? [], desk.category_codes);
  const button = (action: Action, icon: JSX.Element, primary = false, danger = false) => (
    <Button
      ref={(el) => {
        buttons.current[action] = el as HTMLButtonElement | null;
      }}
      size="large"
      type={primary ? "primary" : "default"}
      danger={danger}
      icon={icon}
      disabled={!can[action]}
      loading={mutation.isPending && mutation.variables?.action === action}
      onClick={() => run(action)}
      aria-keyshortcuts={`Alt+${SHORTCUTS[action]}`}
      className="hall-action"
    >
      {t(`window.actions.${action}`)}
      <kbd className="hall-kbd" aria-hidden>
        Alt+{SHORTCUTS[action]}
      </kbd>
    </Button>
  );

  return (
    <div className="staff-page hall-window">
      {modalHolder}
      <Typography.Title level={1} className="staff-title">
        {t("window.title")}
      </Typography.Title>
      <p className="hall-where">
        {t("window.where", { place: place_name, number: desk.number, name: desk.name })}
        <span className="hall-categories">{t("window.calls", { categories: desk.category_codes.join("、") })}</span>
      </p>

      <div className="hall-panel">
        <Card className="hall-current" title={<h2 className="card-title">{t("window.current")}</h2>}>
          {current ? (
            <div className="hall-current-body">
              <p className="hall-current-no" aria-label={t("window.currentNo", { no: current.ticket_no })}>
                {current.ticket_no}
              </p>
              <div className="hall-current-facts">
                <TicketStatusTag status={current.status} />
                {current.priority ? <Tag color="purple">{t("priority")}</Tag> : null}
                <dl className="hall-facts">
                  <dt>{t("fields.category")}</dt>
                  <dd>{current.item_name ? `${current.category_name} · ${current.item_name}` : current.category_name}</dd>
                  <dt>{t("fields.takenAt")}</dt>
                  <dd>{formatDateTime(current.taken_at)}</dd>
                  <dt>{t("fields.waited")}</dt>
                  <dd>{current.wait_minutes !== null ? t("minutes", { count: Math.round(current.wait_minutes) }) : "—"}</dd>
                  <dt>{t("fields.calls")}</dt>
                  <dd>{current.call_count}</dd>
                </dl>
              </div>
            </div>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("window.none")} />
          )}
        </Card>
        <Card className="hall-waiting" title={<h2 className="card-title">{t("window.waiting")}</h2>}>
          <p className="hall-waiting-count">
            <span className="hall-waiting-number">{station.data.waiting}</span> {t("window.people")}
          </p>
          <p className="muted">{t("window.waitingHint")}</p>
        </Card>
      </div>

      <div className="hall-actions" role="group" aria-label={t("window.actionsLabel")}>
        {button("call", <NotificationOutlined aria-hidden />, true)}
        {button("recall", <SoundOutlined aria-hidden />)}
        {button("start", <PlayCircleOutlined aria-hidden />)}
        {button("complete", <CheckOutlined aria-hidden />)}
        {button("noShow", <StopOutlined aria-hidden />, false, true)}
      </div>
      <p className="muted hall-keys-hint">{t("window.keysHint")}</p>
      <div aria-live="polite" role="status" className="hall-said">
        {said ? <Alert type="success" showIcon message={said} role="none" /> : null}
      </div>
      {problem ? (
        <div className="hall-problem">
          <ErrorAlert error={problem} />
        </div>
      ) : null}

      <section aria-labelledby="hall-list-title" className="hall-list">
        <h2 id="hall-list-title" className="hall-section-title">
          {t("window.listTitle", { count: list.length })}
        </h2>
        {waiting.isError ? <ErrorAlert error={waiting.error} onRetry={() => void waiting.refetch()} /> : null}
        <Table<Ticket>
          rowKey="id"
          size="middle"
          loading={waiting.isPending}
          dataSource={list}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: <span className="hall-empty">{t("window.listEmpty")}</span> }}
          columns={[
            { title: t("fields.order"), key: "order", render: (_, __, i) => i + 1, width: 56 },
            {
              title: t("fields.ticketNo"),
              dataIndex: "ticket_no",
              render: (no: string, ticket) => (
                <span className="hall-no">
                  {no} {ticket.priority ? <Tag color="purple">{t("priority")}</Tag> : null}
                </span>
              ),
            },
            {
              title: t("fields.light"),
              key: "light",
              render: (_, ticket) => {
                const waited = minutesWaited(ticket.taken_at, now);
                const left = minutesLeft(waited, ticket.wait_limit_minutes);
                return (
                  <span className="hall-light">
                    <Light colour={waitLight(waited, ticket.wait_limit_minutes)} />
                    <span className={left < 0 ? "overdue-text" : undefined}>
                      {t("fields.waitedFor", { count: waited })}
                      {" · "}
                      {left >= 0 ? t("fields.left", { count: left }) : t("fields.over", { count: -left })}
                    </span>
                  </span>
                );
              },
            },
            { title: t("fields.category"), key: "category", render: (_, ticket) => (ticket.item_name ? `${ticket.category_name} · ${ticket.item_name}` : ticket.category_name) },
            { title: t("fields.channel"), dataIndex: "channel", render: (c: string) => t(`channel.${c}`) },
            { title: t("fields.takenAt"), dataIndex: "taken_at", render: (v: string) => formatDateTime(v) },
          ]}
        />
      </section>
    </div>
  );
}
