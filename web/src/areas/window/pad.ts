/** The rating pad's settings, kept on the pad's own browser: which pad it is and its secret. */
export interface PadConfig {
  deviceId: string;
  secret: string;
}

const KEY = "yiwang.window.pad";

export function loadPad(): PadConfig | null {
  try {
    const raw = window.localStorage.getItem(KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<PadConfig>;
    return typeof v.deviceId === "string" && typeof v.secret === "string" && v.deviceId && v.secret ? { deviceId: v.deviceId, secret: v.secret } : null;
  } catch {
    return null;
  }
}

export function savePad(config: PadConfig): void {
  window.localStorage.setItem(KEY, JSON.stringify(config));
}

export function forgetPad(): void {
  window.localStorage.removeItem(KEY);
}
