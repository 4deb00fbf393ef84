import { NavLink } from "react-router";
import { Button } from "antd";
import { GlobalOutlined, RollbackOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import type { MenuEntry } from "../auth/menu";
import { setLanguage, type Language } from "../i18n";
import type { Acting } from "../auth/session";

/** The main navigation as plain links (the current page marked with aria-current). */
export function NavList({ entries, active, vertical }: { entries: MenuEntry[]; active: MenuEntry | undefined; vertical?: boolean }) {
  const { t } = useTranslation();
  return (
    <ul className={vertical ? "nav-list nav-list-vertical" : "nav-list"}>
      {entries.map((e) => {
        const current = e.key === active?.key;
        return (
          <li key={e.key}>
            <NavLink to={e.path} end={e.path === "/"} className={current ? "nav-link active" : "nav-link"} aria-current={current ? "page" : undefined}>
              {t(e.label)}
            </NavLink>
          </li>
        );
      })}
    </ul>
  );
}

/** One button that switches to the other language, named in that language. */
export function LanguageSwitch({ block = false, className = "header-button" }: { block?: boolean; className?: string }) {
  const { t, i18n } = useTranslation();
  const next: Language = i18n.language === "en" ? "zh-CN" : "en";
  return (
    <Button
      type="text"
      className={className}
      icon={<GlobalOutlined aria-hidden />}
      block={block}
      aria-label={t("header.switchLanguageTo", { language: t(`header.language.${next}`) })}
      onClick={() => void setLanguage(next)}
    >
      <span lang={next}>{t(`header.language.${next}`)}</span>
    </Button>
  );
}

/** Under the header while the tab acts for an enterprise: for whom, and the way back to oneself. */
export function ActingBar({ acting, ended, onBack, onDismiss }: {
  acting: Acting | null;
  ended: Acting | null;
  onBack: () => void;
  onDismiss: () => void;
}) {
  const { t } = useTranslation();
  if (acting) {
    return (
      <div className="acting-bar" role="region" aria-label={t("acting.label")}>
        <span className="acting-name">
          <span className="acting-mark">{t("acting.mark")}</span>
          <span>{acting.name}</span>
        </span>
        <Button size="small" className="acting-back" icon={<RollbackOutlined aria-hidden />} onClick={onBack}>
          {t("acting.back")}
        </Button>
      </div>
    );
  }
  if (ended) {
    return (
      <div className="acting-bar acting-ended" role="alert">
        <span className="acting-name">{t("acting.ended", { name: ended.name })}</span>
        <Button size="small" className="acting-back" onClick={onDismiss}>
          {t("acting.dismiss")}
        </Button>
      </div>
    );
  }
  return null;
}
