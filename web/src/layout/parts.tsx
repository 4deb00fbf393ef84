import { NavLink } from "react-router";
import { Button } from "antd";
import { GlobalOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import type { MenuEntry } from "../auth/menu";
import { setLanguage, type Language } from "../i18n";

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
