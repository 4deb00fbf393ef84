import i18n from "i18next";

/**
 * Each area of the portal (applying, appointments, rating, 12345, enterprises, kiosk…) keeps its
 * texts in a namespace of its own, `src/i18n/areas/<area>.<language>.json`, loaded with the area's
 * first page: the first page's bundle carries only the common catalogue (locales/zh-CN.json).
 * Pages use `useTranslation("<area>")`; keys not in the area fall back to the common catalogue.
 */
const catalogues = import.meta.glob<{ default: Record<string, unknown> }>("./areas/*.json");
const loaded = new Set<string>();

// The router starts the first route's `lazy` as soon as it is created — before main.tsx has run
// initI18n() — so a page opened directly (a reload, a QR code's /rate/<code>, /kiosk) would add its
// texts to an i18next not yet started, in a language not yet chosen. Areas wait for this.
let started: () => void = () => undefined;
const ready = new Promise<void>((resolve) => {
  started = resolve;
});

/** Called by initI18n once i18next runs in the remembered language: areas may load from now on. */
export function areasMayLoad(): void {
  started();
}

function loaderFor(area: string, lng: string) {
  const load = catalogues[`./areas/${area}.${lng}.json`];
  if (!load) throw new Error(`no ${lng} texts for the ${area} area (src/i18n/areas/${area}.${lng}.json)`);
  return load;
}

/** Load an area's texts in the current language (and Chinese, the fallback) before its page renders. */
export async function loadArea(area: string): Promise<void> {
  await ready;
  // Listed first: a language switch meanwhile loads this area's texts in the new language too.
  loaded.add(area);
  const languages = new Set([i18n.language || "zh-CN", "zh-CN"]);
  await Promise.all(
    [...languages].map(async (lng) => {
      if (i18n.hasResourceBundle(lng, area)) return;
      const texts = (await loaderFor(area, lng)()).default;
      i18n.addResourceBundle(lng, area, texts, true, true);
    }),
  );
}

/** On a language switch: the new language's texts for every area already shown. */
export async function loadLoadedAreas(lng: string): Promise<void> {
  await Promise.all(
    [...loaded].map(async (area) => {
      if (i18n.hasResourceBundle(lng, area)) return;
      i18n.addResourceBundle(lng, area, (await loaderFor(area, lng)()).default, true, true);
    }),
  );
}
