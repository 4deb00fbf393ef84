import { useEffect, useRef, useState } from "react";
import { Link, Navigate, NavLink, Outlet, useLocation, useNavigate, useNavigation } from "react-router";
import { Button, Drawer, Grid, Layout, Result, Spin } from "antd";
import { CloseOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { useSession } from "../auth/useSession";
import { logout } from "../auth/actions";
import { api, MY } from "../platform";
import { unwrap } from "../api/errors";
import { LanguageSwitch } from "../layout/parts";
import { activeStaffEntry, menuNamespaces, staffMenuFor, type StaffMenuEntry } from "./menu";
import { STAFF_MENU } from "./registry";
import { loadArea } from "../i18n/areas";
import "./staff.css";

const { Header, Sider } = Layout;

/** The side menu: one labelled list per workspace the account's roles work in. */
function StaffNav({ groups, active }: { groups: ReturnType<typeof staffMenuFor>; active: StaffMenuEntry | undefined }) {
  const { t } = useTranslation("staff");
  return (
    <nav aria-label={t("nav")} className="staff-nav">
      {groups.map(({ group, entries }) => (
        <div key={group} className="staff-nav-group">
          {group === "home" ? null : <h2 className="staff-nav-title">{t(`groups.${group}`)}</h2>}
          <ul>
            {entries.map((e) => (
              <li key={e.key}>
                <NavLink
                  to={e.path}
                  end
                  className={e.key === active?.key ? "staff-nav-link active" : "staff-nav-link"}
                  aria-current={e.key === active?.key ? "page" : undefined}
                >
                  {t(e.label)}
                </NavLink>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

/**
 * The staff workspace (工作台): a side menu of the workspaces the account's roles work in, the
 * account and its unit in the header. Only staff accounts: citizens are told it is not theirs.
 */
export default function StaffShell() {
  const { t } = useTranslation("staff");
  const { claims } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const screens = Grid.useBreakpoint();
  const narrow = screens.lg === undefined ? window.innerWidth < 992 : !screens.lg;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);
  const me = useQuery({
    queryKey: [MY, "me"],
    queryFn: () => unwrap(api.GET("/api/identity/v1/me")),
    enabled: claims?.kind === "staff",
    staleTime: 5 * 60_000,
  });

  // Menu labels are "<area>:<key>": the texts of every workspace in the menu are loaded first.
  const groups = staffMenuFor(STAFF_MENU, claims);
  const namespaces = menuNamespaces(groups.flatMap((g) => g.entries)).join(",");
  const [labelsFor, setLabelsFor] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void Promise.all(namespaces.split(",").filter(Boolean).map(loadArea)).then(() => live && setLabelsFor(namespaces));
    return () => {
      live = false;
    };
  }, [namespaces]);

  useEffect(() => {
    setDrawerOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  if (!claims) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (claims.kind !== "staff")
    return (
      <main id="main" className="staff-refused">
        <Result status="403" title={t("staffOnly")} subTitle={t("staffOnlyHint")} extra={<Link to="/">{t("toPortal")}</Link>} />
      </main>
    );

  if (labelsFor !== namespaces)
    return (
      <div className="boot" role="status">
        <Spin tip={t("loading")} size="large">
          <div className="boot-spin" />
        </Spin>
      </div>
    );
  const active = activeStaffEntry(location.pathname, STAFF_MENU);
  const name = me.data?.account.name;
  const onLogout = async () => {
    await logout();
    navigate("/login");
  };
  const nav = <StaffNav groups={groups} active={active} />;

  return (
    <Layout className="staff-shell">
      <a className="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <Header className="staff-header">
        {narrow ? (
          <Button
            type="text"
            className="header-button"
            icon={<MenuOutlined aria-hidden />}
            aria-label={t("openMenu")}
            aria-expanded={drawerOpen}
            onClick={() => setDrawerOpen(true)}
          />
        ) : null}
        <Link to="/work" className="brand" aria-label={narrow ? t("title") : undefined}>
          <span className="brand-mark" aria-hidden>
            一网
          </span>
          <span className="brand-text">{t("title")}</span>
        </Link>
        <span className="header-spacer" />
        <LanguageSwitch />
        <span className="staff-account">
          <UserOutlined aria-hidden /> <span className="staff-account-name">{name ?? t("account")}</span>
          {claims.roles.length > 0 ? <span className="staff-roles">{claims.roles.map((r) => t(`roles.${r}`, { defaultValue: r })).join("、")}</span> : null}
        </span>
        <Button type="text" className="header-button" icon={<LogoutOutlined aria-hidden />} onClick={() => void onLogout()}>
          {narrow ? null : t("logout")}
          {narrow ? <span className="visually-hidden">{t("logout")}</span> : null}
        </Button>
      </Header>
      <Layout>
        {narrow ? (
          <Drawer
            title={t("title")}
            placement="left"
            width={260}
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            closeIcon={<CloseOutlined aria-label={t("closeMenu")} />}
          >
            {nav}
          </Drawer>
        ) : (
          <Sider width={216} theme="light" className="staff-sider">
            {nav}
          </Sider>
        )}
        {/* Not Layout.Content: it is a <main> of its own, and a page has one. */}
        <div className="staff-content">
          <main id="main" ref={mainRef} tabIndex={-1} className="staff-main">
            {navigation.state === "loading" ? (
              <div className="route-loading" role="status" aria-live="polite">
                <Spin size="small" /> <span>{t("loading")}</span>
              </div>
            ) : null}
            <Outlet />
          </main>
        </div>
      </Layout>
    </Layout>
  );
}
