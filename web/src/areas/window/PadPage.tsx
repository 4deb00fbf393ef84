import { useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { Alert, Button, Card, Form, Input, QRCode, Result, Space, Typography } from "antd";
import { FrownFilled, FrownOutlined, MehOutlined, SettingOutlined, SmileFilled, SmileOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import type { components } from "../../api/schema";
import { plain } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
// The rating area's pure rules: the five levels, which are bad reviews, the reasons, the body.
import { BAD_REASONS, isBad, LEVELS, ratingBody, type RatingLevel } from "../rating/levels";
import { forgetPad, loadPad, savePad, type PadConfig } from "./pad";
import "./window.css";

type Shown = components["schemas"]["evaluation__RatingCodeRead"];

/** The pad's own settings: which pad this screen is (the evaluation office registers it and gives its secret). */
function PadSetup({ onSaved }: { onSaved: (c: PadConfig) => void }) {
  const { t } = useTranslation("window");
  return (
    <Card title={<h2 className="card-title">{t("pad.setup")}</h2>} className="window-card">
      <p className="muted">{t("pad.setupHint")}</p>
      <Form
        layout="vertical"
        name="pad"
        onFinish={(v: PadConfig) => {
          const c = { deviceId: v.deviceId.trim(), secret: v.secret.trim() };
          savePad(c);
          onSaved(c);
        }}
      >
        <div className="window-grid">
          <Form.Item name="deviceId" label={t("pad.deviceId")} rules={[{ required: true, whitespace: true, message: t("pad.deviceIdRequired") }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="secret" label={t("pad.secret")} rules={[{ required: true, whitespace: true, message: t("pad.secretRequired") }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </div>
        <Button type="primary" htmlType="submit">
          {t("pad.save")}
        </Button>
      </Form>
    </Card>
  );
}

const FACES = [SmileFilled, SmileOutlined, MehOutlined, FrownOutlined, FrownFilled];

/** A level's face: an icon (emoji need fonts a pad may not have). */
function Face({ level }: { level: RatingLevel }) {
  const Icon = FACES[level - 1]!;
  return <Icon aria-hidden className="pad-face" />;
}

/** The full-screen view the person at the counter faces: the service, five big levels, the QR code for a phone. */
function PadScreen({ shown, onDone }: { shown: Shown; onDone: () => void }) {
  const { t } = useTranslation("window");
  const errorText = useErrorText();
  const [level, setLevel] = useState<RatingLevel | null>(null);
  const [aspects, setAspects] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string[]>([]);
  const [thanks, setThanks] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [thanks]);
  useEffect(() => {
    if (!thanks) return;
    const timer = window.setTimeout(onDone, 8_000);
    return () => window.clearTimeout(timer);
  }, [thanks, onDone]);

  const send = async (chosen: RatingLevel, reasons: string[]) => {
    setBusy(true);
    setError([]);
    try {
      await unwrap(
        plain.POST("/api/evaluation/v1/service-events/{event_id}/rating", {
          params: { path: { event_id: shown.service_event_id } },
          body: ratingBody({ level: chosen, aspects: reasons }, "device", shown.rating_code),
        }),
      );
      setThanks(true);
    } catch (e) {
      setError([errorText(e)]);
    } finally {
      setBusy(false);
    }
  };
  const choose = (l: RatingLevel) => {
    setLevel(l);
    setAspects([]);
    if (!isBad(l)) void send(l, []);
  };
  const link = `${window.location.origin}${shown.rating_path}`;

  return (
    <div className="pad-screen" role="dialog" aria-modal="true" aria-labelledby="pad-title">
      {thanks ? (
        <div className="pad-thanks">
          <h1 id="pad-title" ref={heading} tabIndex={-1}>
            {t("pad.thanks")}
          </h1>
          <p>{t("pad.thanksHint")}</p>
          <Button size="large" onClick={onDone}>
            {t("pad.close")}
          </Button>
        </div>
      ) : (
        <>
          <h1 id="pad-title" ref={heading} tabIndex={-1}>
            {t("pad.question")}
          </h1>
          <p className="pad-service">
            {shown.item_name ?? t("pad.windowService")} · {formatDateTime(shown.served_at)}
          </p>
          <div className="pad-levels" role="group" aria-label={t("pad.levels")}>
            {LEVELS.map((l) => (
              <button key={l} type="button" className={`pad-level pad-level-${l}${level === l ? " chosen" : ""}`} aria-pressed={level === l} disabled={busy} onClick={() => choose(l)}>
                <Face level={l} />
                {t(`pad.level.${l}`)}
              </button>
            ))}
          </div>
          {level !== null && isBad(level) ? (
            <div className="pad-reasons">
              <h2>{t("pad.why")}</h2>
              <div role="group" aria-label={t("pad.why")} className="pad-reason-list">
                {BAD_REASONS.map((r) => (
                  <button
                    key={r.key}
                    type="button"
                    className={aspects.includes(r.text) ? "pad-reason chosen" : "pad-reason"}
                    aria-pressed={aspects.includes(r.text)}
                    onClick={() => setAspects((a) => (a.includes(r.text) ? a.filter((x) => x !== r.text) : [...a, r.text]))}
                  >
                    {t(`pad.reasons.${r.key}`)}
                  </button>
                ))}
              </div>
              <Button type="primary" size="large" disabled={aspects.length === 0} loading={busy} onClick={() => void send(level, aspects)}>
                {t("pad.send")}
              </Button>
            </div>
          ) : null}
          <ProblemAlert messages={error} title={t("problemsTitle")} />
          <div className="pad-qr">
            <QRCode value={link} size={132} bordered={false} aria-hidden />
            <div>
              <p>{t("pad.scan")}</p>
              <p>
                {t("pad.code")}
                <strong className="pad-code">{shown.rating_code}</strong>
              </p>
              <p className="pad-until">{t("pad.until", { date: formatDateTime(shown.rateable_until) })}</p>
            </div>
          </div>
        </>
      )}
    </div>
  );
}

/** 评价器: the window's rating pad, shown to the person at the counter after a service (一次一评). */
export default function PadPage() {
  const { t } = useTranslation("window");
  useDocumentTitle(t("pad.title"));
  const errorText = useErrorText();
  const [params, setParams] = useSearchParams();
  const event = params.get("event");
  const [config, setConfig] = useState<PadConfig | null>(() => loadPad());
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const fetchCode = async () => {
    if (!config) return;
    setBusy(true);
    setError(null);
    try {
      const got = await unwrap(
        plain.POST("/api/evaluation/v1/rating-devices/{device_id}/code", {
          params: { path: { device_id: config.deviceId } },
          body: { secret: config.secret, ...(event ? { service_event_id: event } : {}) },
        }),
      );
      setShown(got);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const done = () => {
    setShown(null);
    if (event) setParams({}, { replace: true });
  };

  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("pad.title")}
      </Typography.Title>
      {!config ? (
        <PadSetup onSaved={setConfig} />
      ) : (
        <Card className="window-card" title={<h2 className="card-title">{t("pad.ready")}</h2>}>
          <p className="muted">{t("pad.readyHint")}</p>
          {event ? <Alert type="info" showIcon message={t("pad.forVisit")} className="window-gap" /> : null}
          {error ? <ErrorAlert error={error} /> : null}
          <Space wrap>
            <Button type="primary" size="large" loading={busy} onClick={() => void fetchCode()}>
              {t("pad.show")}
            </Button>
            <Button
              icon={<SettingOutlined aria-hidden />}
              onClick={() => {
                forgetPad();
                setConfig(null);
              }}
            >
              {t("pad.change")}
            </Button>
          </Space>
          <p className="muted window-gap">{t("pad.device", { id: config.deviceId })}</p>
        </Card>
      )}
      {shown ? <PadScreen shown={shown} onDone={done} /> : null}
      {error && !config ? <Result status="warning" title={errorText(error)} /> : null}
    </div>
  );
}
