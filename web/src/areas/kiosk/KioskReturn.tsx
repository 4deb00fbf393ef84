import { useState } from "react";
import { useNavigate } from "react-router";
import { Button } from "antd";
import { HomeOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { clearKiosk, storedKioskConfig } from "./kiosk";
import { useIdleReset } from "./useIdleReset";
import { IdleWarning } from "./IdleWarning";
import { DEFAULT_IDLE_SECONDS } from "./idle";
import "./kiosk.css";

/**
 * On a portal page the kiosk sent someone to (the rating page, `/rate/<code>`): the way back to the
 * kiosk, and the same inactivity timer (layout/AppShell shows this when the tab is a kiosk).
 */
export default function KioskReturn() {
  const { t } = useTranslation("kiosk");
  const navigate = useNavigate();
  const [config] = useState(() => storedKioskConfig() ?? { idleSeconds: DEFAULT_IDLE_SECONDS, placeId: null });
  const back = async (clear: boolean) => {
    if (clear) await clearKiosk(config);
    navigate("/kiosk", { replace: clear });
  };
  const { state, stillHere } = useIdleReset(config.idleSeconds, () => void back(true));
  return (
    <div className="kiosk-return" role="region" aria-label={t("brand")}>
      <Button type="primary" size="large" className="kiosk-button" icon={<HomeOutlined aria-hidden />} onClick={() => void back(false)}>
        {t("backToKiosk")}
      </Button>
      {state.warning ? <IdleWarning secondsLeft={state.secondsLeft} onStay={stillHere} /> : null}
    </div>
  );
}
