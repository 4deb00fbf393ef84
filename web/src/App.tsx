import { useEffect, useState } from "react";
import { ConfigProvider, Spin } from "antd";
import type { Locale } from "antd/es/locale";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "react-router";
import { useTranslation } from "react-i18next";
import { queryClient, session } from "./platform";
import { router } from "./routes";

/** People who ask their system for less motion (WCAG 2.3.3) get Ant Design without animations. */
const reducedMotion = typeof window !== "undefined" && window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;

/** Government-service blue with text colours that pass WCAG AA on white. */
const theme = {
  components: {
    Breadcrumb: { linkColor: "rgba(0, 0, 0, 0.65)", itemColor: "rgba(0, 0, 0, 0.65)", separatorColor: "rgba(0, 0, 0, 0.65)", lastItemColor: "rgba(0, 0, 0, 0.88)" },
  },
  token: {
    colorPrimary: "#0b5cad",
    colorLink: "#0b5cad",
    colorTextSecondary: "rgba(0, 0, 0, 0.65)",
    // Placeholders ("不限", "全部状态") carry meaning here: 4.5:1 on white, not antd's 0.25 alpha.
    colorTextPlaceholder: "rgba(0, 0, 0, 0.56)",
    colorTextDescription: "rgba(0, 0, 0, 0.65)",
    borderRadius: 6,
    motion: !reducedMotion,
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  },
};

/** A reloaded tab has a refresh token but no access token: get one before the first page asks. */
function useRestoredSession(): boolean {
  const [ready, setReady] = useState(!session.canRestore);
  useEffect(() => {
    if (ready) return;
    void session.refresh().then((outcome) => {
      if (outcome === "rejected") session.clear(false);
      setReady(true);
    });
  }, [ready]);
  return ready;
}

/** Ant Design's texts in the UI language; the English ones are loaded only when chosen. */
function useAntLocale(english: boolean): Locale {
  const [enUS, setEnUS] = useState<Locale | null>(null);
  useEffect(() => {
    dayjs.locale(english ? "en" : "zh-cn");
    if (english && !enUS) void import("antd/locale/en_US").then((m) => setEnUS(m.default));
  }, [english, enUS]);
  return english && enUS ? enUS : zhCN;
}

export function App() {
  const { i18n, t } = useTranslation();
  const ready = useRestoredSession();
  const locale = useAntLocale(i18n.language === "en");
  return (
    <ConfigProvider locale={locale} theme={theme} button={{ autoInsertSpace: false }}>
        <QueryClientProvider client={queryClient}>
          {ready ? (
            <RouterProvider router={router} />
          ) : (
            <div className="boot" role="status">
              <Spin tip={t("common.restoring")} size="large">
                <div className="boot-spin" />
              </Spin>
            </div>
          )}
        </QueryClientProvider>
    </ConfigProvider>
  );
}
