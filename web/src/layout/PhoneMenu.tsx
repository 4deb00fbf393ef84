import type { ReactNode } from "react";
import { Button, Drawer } from "antd";
import { CloseOutlined, LogoutOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import type { MenuEntry } from "../auth/menu";
import { LanguageSwitch, NavList } from "./parts";

/** The navigation drawer on phones; its own chunk, loaded on the first tap of the menu button. */
export default function PhoneMenu(props: {
  open: boolean;
  onClose: () => void;
  entries: MenuEntry[];
  active: MenuEntry | undefined;
  loggedIn: boolean;
  name: string | undefined;
  onLogout: () => void;
  login: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Drawer
      id="nav-drawer"
      title={t("brand.name")}
      placement="right"
      width={280}
      open={props.open}
      onClose={props.onClose}
      closeIcon={<CloseOutlined aria-label={t("header.closeMenu")} />}
    >
      <nav aria-label={t("header.mainNav")}>
        <NavList entries={props.entries} active={props.active} vertical />
      </nav>
      <div className="drawer-actions">
        <LanguageSwitch block className="drawer-button" />
        {props.loggedIn ? (
          <Button block icon={<LogoutOutlined aria-hidden />} onClick={props.onLogout}>
            {t("header.logout")}
            {props.name ? `（${props.name}）` : ""}
          </Button>
        ) : (
          props.login
        )}
      </div>
    </Drawer>
  );
}
