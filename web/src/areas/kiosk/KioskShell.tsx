import { useCallback, useEffect, useRef, useState, type MouseEvent } from "react";
import { Link, NavLink, Outlet, useLocation, useNavigate, useNavigation } from "react-router";
import { Button, Spin } from "antd";
import { HomeOutlined, LogoutOutlined, SearchOutlined, StarOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "../../layout/parts";
import { clearKiosk, enterKiosk, kioskTarget } from "./kiosk";
import { useIdleReset } from "./useIdleReset";
import { IdleWarning } from "./IdleWarning";
import "./kiosk.css";

/** The self-service kiosk (自助终端): big targets, no account menu, and it forgets the last person. */
export default function KioskShell() {
  const { t } = useTranslation("kiosk");
  const location = useLocation();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [config] = useState(() => enterKiosk(location.search));
  const [generation, setGeneration] = useState(0);
  const [cleared, setCleared] = useState(false);
  const mainRef = useRef<HTMLElement>(null);

  const reset = useCallback(async () => {
    await clearKiosk(config);
    setCleared(true);
    setGeneration((g) => g + 1);
    navigate("/kiosk", { replace: true });
  }, [config, navigate]);

  const { state, stillHere } = useIdleReset(config.idleSeconds, () => void reset(), generation);

  useEffect(() => {
    mainRef.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [location.pathname]);

  useEffect(() => {
    if (!cleared) return;
    const timer = window.setTimeout(() => setCleared(false), 8000);
    return () => window.clearTimeout(timer);
  }, [cleared]);

  const onClickCapture = (event: MouseEvent<HTMLDivElement>) => {
    const anchor = (event.target as Element).closest("a");
    const href = anchor?.getAttribute("href");
    if (!anchor || href === null || href === undefined) return;
    if (anchor.target === "_blank") {
      event.preventDefault();
      return;
    }
    const target = kioskTarget(href);
    if (target === href) return;
    event.preventDefault();
    if (target) navigate(target);
  };

  const tab = (to: string, icon: JSX.Element, label: string, end = false) => (
    <li>
      <NavLink to={to} end={end} className={({ isActive }) => (isActive ? "kiosk-tab active" : "kiosk-tab")}>
        {icon}
        <span>{label}</span>
      </NavLink>
    </li>
  );

  return (
    <div className="kiosk" onClickCapture={onClickCapture}>
      <a className="skip-link" href="#main">
        {t("skip")}
      </a>
      <header className="kiosk-header">
        <Link to="/kiosk" className="kiosk-brand">
          <span className="brand-mark" aria-hidden>
            一网
          </span>
          <span>{t("brand")}</span>
        </Link>
        <nav aria-label={t("nav")} className="kiosk-nav">
          <ul>
            {tab("/kiosk", <HomeOutlined aria-hidden />, t("home"), true)}
            {tab("/kiosk/items", <SearchOutlined aria-hidden />, t("search"))}
            {tab("/kiosk/rate", <StarOutlined aria-hidden />, t("rate"))}
          </ul>
        </nav>
        <div className="kiosk-tools">
          <LanguageSwitch className="kiosk-header-button" />
          <Button type="text" className="kiosk-header-button" icon={<LogoutOutlined aria-hidden />} onClick={() => void reset()}>
            {t("finish")}
          </Button>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="kiosk-main">
        {cleared ? (
          <p className="kiosk-cleared" role="status">
            {t("cleared")}
          </p>
        ) : null}
        {navigation.state === "loading" ? (
          <div className="route-loading" role="status">
            <Spin size="small" /> <span>{t("loading")}</span>
          </div>
        ) : null}
        <Outlet key={generation} />
      </main>
      <footer className="kiosk-footer">
        <p>{t("privacy", { seconds: config.idleSeconds })}</p>
      </footer>
      {state.warning ? <IdleWarning secondsLeft={state.secondsLeft} onStay={stillHere} /> : null}
    </div>
  );
}
