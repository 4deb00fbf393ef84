import { useEffect, useRef } from "react";
import { Button } from "antd";
import { useTranslation } from "react-i18next";

/** The last seconds before the kiosk clears itself: a countdown and a big "still here" button. */
export function IdleWarning({ secondsLeft, onStay }: { secondsLeft: number; onStay: () => void }) {
  const { t } = useTranslation("kiosk");
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    button.current?.focus();
  }, []);
  return (
    <div className="kiosk-idle-backdrop">
      <div className="kiosk-idle" role="alertdialog" aria-modal="true" aria-labelledby="kiosk-idle-title" aria-describedby="kiosk-idle-text">
        <h2 id="kiosk-idle-title">{t("idle.title")}</h2>
        <p id="kiosk-idle-text" className="kiosk-idle-text">
          {t("idle.text", { count: secondsLeft })}
        </p>
        <p className="kiosk-idle-count" aria-hidden>
          {secondsLeft}
        </p>
        <Button ref={button} type="primary" size="large" className="kiosk-button" onClick={onStay}>
          {t("idle.stay")}
        </Button>
      </div>
    </div>
  );
}
