import { useState } from "react";
import { Button, Input, List, Tag } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useSession } from "../../auth/useSession";
import { formatDateTime } from "../../lib/format";
import type { components } from "../../api/schema";

type Escalation = components["schemas"]["hotline__TicketEscalationRead"];

/** Acknowledging (已阅签收) one reminder or escalation that names the viewer, with what is being done. */
function Acknowledge({ escalation, ticketId }: { escalation: Escalation; ticketId: string }) {
  const { t } = useTranslation("hotline-desk");
  const client = useQueryClient();
  const [note, setNote] = useState("");
  const ack = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/hotline/v1/escalations/{escalation_id}/acknowledge", {
          params: { path: { escalation_id: escalation.id } },
          body: note.trim() ? { note: note.trim() } : {},
        }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: [MY, "hotline-desk", "ticket", ticketId, "escalations"] }),
  });
  return (
    <div className="desk-ack">
      <Input
        aria-label={t("escalations.ackNote")}
        placeholder={t("escalations.ackNote")}
        value={note}
        maxLength={200}
        onChange={(e) => setNote(e.target.value)}
        disabled={ack.isPending}
      />
      <Button onClick={() => ack.mutate()} loading={ack.isPending}>
        {t("escalations.ack")}
      </Button>
      {ack.isError ? <ErrorAlert error={ack.error} /> : null}
    </div>
  );
}

/** The reminders (催办) and escalations (督办) raised on a ticket, and who they name. */
export function Escalations({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation("hotline-desk");
  const { claims } = useSession();
  const list = useQuery({
    queryKey: [MY, "hotline-desk", "ticket", ticketId, "escalations"],
    queryFn: () => unwrap(api.GET("/api/hotline/v1/tickets/{ticket_id}/escalations", { params: { path: { ticket_id: ticketId }, query: { limit: 50 } } })),
  });
  if (list.isError) return <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />;
  if (!list.data || list.data.items.length === 0) return null;
  return (
    <section aria-labelledby="hd-escalations" className="desk-section">
      <h2 id="hd-escalations" className="desk-section-title">
        {t("escalations.title")}
      </h2>
      <List
        size="small"
        className="desk-escalations"
        dataSource={list.data.items}
        rowKey="id"
        renderItem={(e) => {
          const mine = e.recipients.find((r) => r.staff_id === claims?.sub);
          return (
            <List.Item>
              <div className="desk-escalation">
                <div>
                  <Tag color={e.level === 0 ? "orange" : "red"}>{t(`escalations.level${e.level}`)}</Tag>
                  <strong>{e.rule_name}</strong> <span className="muted">{formatDateTime(e.raised_at)}</span>
                </div>
                <div className="prewrap">{e.message}</div>
                <div className="muted">
                  {t("escalations.named")}
                  {e.recipients
                    .map(
                      (r) =>
                        `${r.name ?? r.staff_id}${r.acknowledged_at ? t("escalations.acked", { at: formatDateTime(r.acknowledged_at) }) : t("escalations.notAcked")}${r.note ? ` ${r.note}` : ""}`,
                    )
                    .join("、")}
                </div>
                {mine && !mine.acknowledged_at ? <Acknowledge escalation={e} ticketId={ticketId} /> : null}
              </div>
            </List.Item>
          );
        }}
      />
    </section>
  );
}
