import { useEffect, useState } from "react";
import { Select, Tag } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { TicketStatus } from "./model";
import { KEYS, listHalls, type Place } from "./queries";

const STATUS_COLOURS: Record<TicketStatus, string> = {
  waiting: "blue",
  called: "orange",
  serving: "green",
  completed: "default",
  no_show: "red",
};

/** A ticket's status in words, coloured (the words carry it, not the colour). */
export function TicketStatusTag({ status }: { status: TicketStatus }) {
  const { t } = useTranslation("hall");
  return <Tag color={STATUS_COLOURS[status]}>{t(`status.${status}`)}</Tag>;
}

/** The time now, ticking every `ms` (for waits that grow while the page is open). */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(id);
  }, [ms]);
  return now;
}

/** The halls (places with a queue), for choosing one. */
export function useHalls() {
  return useQuery({ queryKey: KEYS.halls, queryFn: listHalls, staleTime: 5 * 60_000 });
}

/** A labelled choice of hall; shows the first hall until one is chosen. */
export function HallSelect({ id, halls, value, onChange }: { id: string; halls: Place[]; value: string | undefined; onChange: (id: string) => void }) {
  const { t } = useTranslation("hall");
  return (
    <span className="hall-field">
      <label htmlFor={id}>{t("hallLabel")}</label>
      <Select
        id={id}
        className="hall-select"
        value={value}
        onChange={onChange}
        options={halls.map((h) => ({ value: h.id, label: h.name }))}
        placeholder={t("hallPlaceholder")}
        popupMatchSelectWidth={false}
      />
    </span>
  );
}
