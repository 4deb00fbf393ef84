import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { Link, Outlet, useLocation, useNavigate, useNavigation } from "react-router";
import { Button, Grid, Layout, Spin } from "antd";
import { LoginOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { activeEntry, menuFor } from "../auth/menu";
import { useSession } from "../auth/useSession";
import { logout } from "../auth/actions";
import { api, MY, session } from "../platform";
import { unwrap } from "../api/errors";
import { ActingBar, LanguageSwitch, NavList } from "./parts";
import { loadArea } from "../i18n/areas";
import { actAsSelf } from "./acting";
import "./acting.css";

const PhoneMenu = lazy(() => import("./PhoneMenu"));
/** On a kiosk (自助终端) tab, pages outside the kiosk's shell (the rating page) keep its timer and a way back. */
const KioskReturn = lazy(async () => {
  const [module] = await Promise.all([import("../areas/kiosk/KioskReturn"), loadArea("kiosk")]);
  return module;
});

/** areas/kiosk/kiosk.ts KIOSK_KEY, read here without loading the kiosk's code. */
function isKioskTab(): boolean {
  try {
    return sessionStorage.getItem("yiwang.kiosk") !== null;
  } catch {
    return false;
  }
}
const { Header, Content, Footer } = Layout;

/** The logged-in person's name for the header (from /me; the token carries no name). */
function useDisplayName(loggedIn: boolean): string | undefined {
  const me = useQuery({
    queryKey: [MY, "me"],
    queryFn: () => unwrap(api.GET("/api/identity/v1/me")),
    enabled: loggedIn,
    staleTime: 5 * 60_000,
  });
  return me.data?.account.name;
}

export function AppShell() {
  const { t } = useTranslation();
  const { claims, acting, actingEnded } = useSession();
  const screens = Grid.useBreakpoint();
  // Until the first measurement, assume a phone when the window is narrow (no desktop flash on phones).
  // The citizen's nine menu entries need a desk's width in one row: below 1200 px they go in the drawer.
  const phone = screens.xl === undefined ? window.innerWidth < 1200 : !screens.xl;
  const location = useLocation();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [drawerUsed, setDrawerUsed] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const name = useDisplayName(claims !== null);
  const [kiosk] = useState(isKioskTab);

  const entries = menuFor(claims);
  const active = activeEntry(location.pathname, entries);

  // After a navigation, move focus to the page (screen readers announce the new page) and close the drawer.
  useEffect(() => {
    setDrawerOpen(false);
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [location.pathname]);

  const onLogout = async () => {
    setDrawerOpen(false);
    await logout();
    navigate("/");
  };

  const login = (
    <Link className="header-login" to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`}>
      <LoginOutlined aria-hidden /> {t("header.login")}
    </Link>
  );

  return (
    <Layout className="shell">
      <a className="skip-link" href="#main">
        {t("common.skipToContent")}
      </a>
      <Header className="shell-header">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden>
            一网
          </span>
          <span className="brand-text">{phone ? t("brand.short") : t("brand.name")}</span>
        </Link>
        {phone ? (
          <>
            <span className="header-spacer" />
            <Button
              type="text"
              className="header-button"
              icon={<MenuOutlined aria-hidden />}
              aria-label={t("header.openMenu")}
              aria-expanded={drawerOpen}
              aria-controls="nav-drawer"
              onClick={() => {
                setDrawerUsed(true);
                setDrawerOpen(true);
              }}
            />
            {drawerUsed ? (
              <Suspense fallback={null}>
                <PhoneMenu
                  open={drawerOpen}
                  onClose={() => setDrawerOpen(false)}
                  entries={entries}
                  active={active}
                  loggedIn={claims !== null}
                  name={name}
                  onLogout={() => void onLogout()}
                  login={login}
                />
              </Suspense>
            ) : null}
          </>
        ) : (
          <>
            <nav aria-label={t("header.mainNav")} className="header-nav">
              <NavList entries={entries} active={active} />
            </nav>
            <LanguageSwitch />
            {claims ? (
              <span className="header-account">
                <span className="header-name">
                  <UserOutlined aria-hidden /> {name ?? t("header.account")}
                </span>
                <Button type="text" className="header-button" icon={<LogoutOutlined aria-hidden />} onClick={() => void onLogout()}>
                  {t("header.logout")}
                </Button>
              </span>
            ) : (
              login
            )}
          </>
        )}
      </Header>
      {kiosk ? (
        <Suspense fallback={null}>
          <KioskReturn />
        </Suspense>
      ) : null}
      <ActingBar
        acting={acting}
        ended={actingEnded}
        onBack={() => {
          actAsSelf();
          navigate("/enterprise");
        }}
        onDismiss={() => session.dismissActingEnded()}
      />
      <Content>
        <main id="main" ref={mainRef} tabIndex={-1} className="shell-main">
          {navigation.state === "loading" ? (
            <div className="route-loading" role="status" aria-live="polite">
              <Spin size="small" /> <span>{t("common.loading")}</span>
            </div>
          ) : null}
          <Outlet />
        </main>
      </Content>
      <Footer className="shell-footer">
        <p>{t("footer.line1")}</p>
        <p>{t("footer.line2")}</p>
        <p>
          <Link to="/verify">{t("nav.verify")}</Link>
        </p>
      </Footer>
    </Layout>
  );
}
