import { useState } from "react";
import { useNavigate } from "react-router";
import { Alert, Button, Input } from "antd";
import { ArrowRightOutlined, DeleteOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { RATING_CODE_KEYS, RATING_CODE_LENGTH, normaliseRatingCode } from "./kiosk";

/**
 * 好差评 by code: the person types (or taps) the code the window's rating pad shows and goes to the
 * rating page, `/rate/<code>`, where anyone holding the code rates without logging in.
 */
export default function KioskRate() {
  const { t } = useTranslation("kiosk");
  const navigate = useNavigate();
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  useDocumentTitle(t("rateTitle"));
  const normal = normaliseRatingCode(code);
  const valid = normal.length === RATING_CODE_LENGTH && [...normal].every((c) => RATING_CODE_KEYS.includes(c));

  const submit = () => {
    if (!valid) {
      setError(normal.length !== RATING_CODE_LENGTH ? t("codeLength", { length: RATING_CODE_LENGTH }) : t("codeCharacters"));
      return;
    }
    navigate(`/rate/${encodeURIComponent(normal)}`);
  };
  const type = (key: string) => {
    setError(null);
    setCode((c) => (normaliseRatingCode(c).length >= RATING_CODE_LENGTH ? c : normaliseRatingCode(c) + key));
  };

  return (
    <div className="kiosk-page kiosk-rate">
      <h1 tabIndex={-1}>{t("rateTitle")}</h1>
      <p className="kiosk-lead">{t("rateIntro", { length: RATING_CODE_LENGTH })}</p>
      <form
        className="kiosk-code-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label htmlFor="kiosk-code" className="kiosk-label">
          {t("codeLabel")}
        </label>
        <Input
          id="kiosk-code"
          size="large"
          className="kiosk-code"
          value={code}
          status={error ? "error" : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "kiosk-code-error" : "kiosk-code-hint"}
          onChange={(e) => {
            setError(null);
            setCode(e.target.value);
          }}
          maxLength={20}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
        />
        <p id="kiosk-code-hint" className="kiosk-hint">
          {t("codeHint")}
        </p>
        {error ? <Alert id="kiosk-code-error" type="error" showIcon role="alert" message={error} className="kiosk-alert" /> : null}
        <div className="kiosk-keys" role="group" aria-label={t("keys")}>
          {[...RATING_CODE_KEYS].map((key) => (
            <button key={key} type="button" className="kiosk-key" onClick={() => type(key)}>
              {key}
            </button>
          ))}
          <button type="button" className="kiosk-key kiosk-key-wide" onClick={() => setCode((c) => normaliseRatingCode(c).slice(0, -1))} aria-label={t("backspace")}>
            <DeleteOutlined aria-hidden /> {t("backspaceShort")}
          </button>
          <button type="button" className="kiosk-key kiosk-key-wide" onClick={() => setCode("")}>
            {t("clear")}
          </button>
        </div>
        <Button type="primary" htmlType="submit" size="large" className="kiosk-button kiosk-submit" icon={<ArrowRightOutlined aria-hidden />}>
          {t("toRating")}
        </Button>
      </form>
    </div>
  );
}
