import { queryClient, session } from "../../platform";
import i18n, { setLanguage } from "../../i18n";
import { DEFAULT_IDLE_SECONDS, idleSecondsFrom } from "./idle";
import { placeIdFrom } from "./links";

/**
 * This browser tab is a hall kiosk (自助终端): set when /kiosk is opened, kept in sessionStorage so
 * the rating page it sends people to (`/rate/<code>`, outside the kiosk's shell) keeps the
 * inactivity timer and the way back (layout/AppShell looks for it).
 */
export const KIOSK_KEY = "yiwang.kiosk";

export interface KioskConfig {
  /** Seconds without activity before the kiosk clears itself. */
  idleSeconds: number;
  /** The hall (service place id) the kiosk stands in, from `?place=<id>`; null: the first hall. */
  placeId: string | null;
}

export function storedKioskConfig(): KioskConfig | null {
  try {
    const raw = sessionStorage.getItem(KIOSK_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as { idleSeconds?: unknown; placeId?: unknown };
    return {
      idleSeconds: typeof value.idleSeconds === "number" ? value.idleSeconds : DEFAULT_IDLE_SECONDS,
      placeId: typeof value.placeId === "string" ? placeIdFrom(value.placeId) : null,
    };
  } catch {
    return null;
  }
}

/**
 * The kiosk's settings: `?idle=<seconds>` and `?place=<id>` when given (kept for the tab), else
 * those kept, else 90 s and the first hall.
 */
export function enterKiosk(search: string): KioskConfig {
  const params = new URLSearchParams(search);
  const stored = storedKioskConfig() ?? { idleSeconds: DEFAULT_IDLE_SECONDS, placeId: null };
  const idle = params.get("idle");
  const place = params.get("place");
  const config: KioskConfig = {
    idleSeconds: idle !== null ? idleSecondsFrom(idle) : stored.idleSeconds,
    placeId: place !== null ? placeIdFrom(place) : stored.placeId,
  };
  try {
    sessionStorage.setItem(KIOSK_KEY, JSON.stringify(config));
  } catch {
    // Storage blocked: the kiosk still works, with this page's settings.
  }
  return config;
}

/**
 * Forget everything the last person did: any login, cached answers, both storages (language
 * included), back to Chinese. The kiosk's own settings are kept.
 */
export async function clearKiosk(config: KioskConfig): Promise<void> {
  session.clear(false);
  queryClient.clear();
  try {
    sessionStorage.clear();
    localStorage.clear();
    sessionStorage.setItem(KIOSK_KEY, JSON.stringify(config));
  } catch {
    // Storage blocked: nothing was kept there either.
  }
  if (i18n.language !== "zh-CN") {
    await setLanguage("zh-CN");
    try {
      localStorage.removeItem("yiwang.lang");
    } catch {
      // as above
    }
  }
}

export { kioskTarget, normaliseRatingCode, placeIdFrom, RATING_CODE_KEYS, RATING_CODE_LENGTH } from "./links";
