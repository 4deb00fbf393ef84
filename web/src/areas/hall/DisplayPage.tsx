import { useEffect, useRef, useState } from "react";
import { useParams } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/errors";
import { useErrorText } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { callKey, districtClock, districtTime, newCall, type DisplayCall } from "./model";
import { getDisplay, KEYS } from "./queries";
import { useNow } from "./parts";
import "./hall.css";

/** How often the screen asks for the newest calls (ms). */
const REFRESH_MS = 3_000;

/**
 * The hall's big screen (大厅显示屏, 1920×1080, public): the number just called large with its
 * window, the calls before it, how many wait per category and the expected wait, the time. A new
 * call is announced in a live region, and spoken once the staff have switched the voice on.
 */
export default function DisplayPage() {
  const { t } = useTranslation("hall");
  const { placeId = "" } = useParams();
  const errorText = useErrorText();
  const now = useNow(1_000);
  const shown = useQuery({
    queryKey: KEYS.display(placeId),
    queryFn: () => getDisplay(placeId, 10),
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: true,
    staleTime: 0,
    retry: (count, error) => count < 3 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
  });
  const [announced, setAnnounced] = useState("");
  const [voice, setVoice] = useState(false);
  const lastKey = useRef<string | null | undefined>(undefined);
  useDocumentTitle(shown.data ? t("display.title", { place: shown.data.place_name }) : t("display.titleShort"));

  const calls = shown.data?.recent_calls;
  useEffect(() => {
    if (!calls) return;
    const call = newCall(lastKey.current, calls);
    lastKey.current = calls[0] ? callKey(calls[0]) : null;
    if (!call) return;
    const text = t("display.say", { no: call.ticket_no, window: call.window_name || t("display.windowNo", { number: call.window_number }) });
    setAnnounced(text);
    if (voice && "speechSynthesis" in window) {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = "zh-CN";
      window.speechSynthesis.speak(utterance);
    }
  }, [calls, voice, t]);

  const data = shown.data;
  const newest: DisplayCall | undefined = data?.recent_calls[0];
  const history = data?.recent_calls.slice(1, 9) ?? [];
  const stale = shown.isError && data !== undefined;

  return (
    <div className="hall-display">
      <header className="hall-display-header">
        <h1 className="hall-display-title">{data ? data.place_name : t("display.titleShort")}</h1>
        <p className="hall-display-limit">{data ? t("display.limit", { minutes: data.wait_limit_minutes }) : null}</p>
        <p className="hall-display-clock">
          <span className="visually-hidden">{t("display.now")}</span>
          <time>{districtClock(now)}</time>
        </p>
      </header>
      <main id="main" className="hall-display-main">
        <div className="visually-hidden" aria-live="assertive" role="status">
          {announced}
        </div>
        {shown.isError && !data ? (
          <p className="hall-display-problem" role="alert">
            {errorText(shown.error)}
          </p>
        ) : null}
        {stale ? (
          <p className="hall-display-stale" role="status">
            {t("display.stale")}
          </p>
        ) : null}
        {data ? (
          <>
            <section className="hall-display-calls" aria-labelledby="hall-now-title">
              <h2 id="hall-now-title" className="hall-display-h2">
                {t("display.nowCalling")}
              </h2>
              {newest ? (
                <div className="hall-display-newest" key={callKey(newest)}>
                  <p className="hall-display-newest-no">{newest.ticket_no}</p>
                  <p className="hall-display-newest-to">
                    {t("display.toWindow", { number: newest.window_number })}
                    <span className="hall-display-newest-name">{newest.window_name}</span>
                  </p>
                  {newest.recalled ? <p className="hall-display-recalled">{t("display.recalled")}</p> : null}
                </div>
              ) : (
                <p className="hall-display-empty">{t("display.noCalls")}</p>
              )}
              {history.length > 0 ? (
                <>
                  <h2 className="hall-display-h2">{t("display.history")}</h2>
                  <table className="hall-display-table">
                    <thead>
                      <tr>
                        <th scope="col">{t("display.number")}</th>
                        <th scope="col">{t("display.window")}</th>
                        <th scope="col">{t("display.calledAt")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {history.map((c) => (
                        <tr key={callKey(c)}>
                          <td className="hall-display-no">{c.ticket_no}</td>
                          <td>{t("display.windowNo", { number: c.window_number })}</td>
                          <td>{districtTime(c.called_at)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              ) : null}
            </section>
            <section className="hall-display-queues" aria-labelledby="hall-queues-title">
              <h2 id="hall-queues-title" className="hall-display-h2">
                {t("display.queues")}
              </h2>
              <ul className="hall-display-categories">
                {data.categories.map((c) => (
                  <li key={c.code} className="hall-display-category">
                    <span className="hall-display-category-name">
                      <span className="hall-display-letter">{c.code}</span> {c.name}
                    </span>
                    <span className="hall-display-category-waiting">{t("display.waiting", { count: c.waiting })}</span>
                    <span className="hall-display-category-expected">
                      {c.expected_wait_minutes === null ? t("display.noWindow") : t("display.expected", { count: c.expected_wait_minutes })}
                    </span>
                  </li>
                ))}
              </ul>
              <p className="hall-display-note">{t("display.note", { minutes: data.wait_limit_minutes })}</p>
            </section>
          </>
        ) : null}
      </main>
      <footer className="hall-display-footer">
        <button type="button" className="hall-display-voice" aria-pressed={voice} onClick={() => setVoice((v) => !v)}>
          {voice ? t("display.voiceOn") : t("display.voiceOff")}
        </button>
      </footer>
    </div>
  );
}
