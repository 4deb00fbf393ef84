import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import zhCN from "./locales/zh-CN.json";
import { areasMayLoad, loadArea, loadLoadedAreas } from "./areas";

export const LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = "yiwang.lang";

function storedLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored as Language;
  } catch {
    // Storage may be blocked; Chinese is the default.
  }
  return "zh-CN";
}

/** Chinese is in the first page's bundle; English is a chunk of its own, loaded when chosen. */
async function loadLanguage(lng: Language): Promise<void> {
  if (lng === "en" && !i18n.hasResourceBundle("en", "translation")) {
    const en = (await import("./locales/en.json")).default;
    i18n.addResourceBundle("en", "translation", en);
  }
}

/** Start i18n in the remembered language (Chinese unless English was chosen before). */
export async function initI18n(): Promise<void> {
  await i18n.use(initReactI18next).init({
    resources: { "zh-CN": { translation: zhCN } },
    lng: "zh-CN",
    fallbackLng: "zh-CN",
    // An area's page (useTranslation("<area>")) finds the common texts too.
    defaultNS: "translation",
    fallbackNS: "translation",
    supportedLngs: LANGUAGES,
    interpolation: { escapeValue: false },
  });
  const lng = storedLanguage();
  if (lng !== "zh-CN") {
    try {
      await loadLanguage(lng);
      await loadLoadedAreas(lng);
      await i18n.changeLanguage(lng);
    } catch {
      // The English chunk did not load: stay in Chinese.
    }
  }
  document.documentElement.lang = i18n.language;
  areasMayLoad();
}

/** Switch the UI language and remember it for the next visit. */
export async function setLanguage(lng: Language): Promise<void> {
  await loadLanguage(lng);
  await loadLoadedAreas(lng);
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // Not remembered, still switched.
  }
  await i18n.changeLanguage(lng);
  document.documentElement.lang = lng;
}

export default i18n;

export { loadArea };
