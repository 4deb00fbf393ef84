import { useEffect, useState } from "react";
import i18n from "../../i18n";
import { loadArea } from "../../i18n/areas";

/**
 * True once the apply area's texts are loaded. The area's own routes load them before rendering
 * (areaPage); the application pages under /my/applications use them too and wait with this.
 */
export function useApplyTexts(): boolean {
  const [ready, setReady] = useState(() => i18n.hasResourceBundle(i18n.language || "zh-CN", "apply"));
  useEffect(() => {
    if (ready) return;
    let live = true;
    // On failure the page still renders: keys fall back to the common catalogue or show as keys.
    const done = () => live && setReady(true);
    void loadArea("apply").then(done, done);
    return () => {
      live = false;
    };
  }, [ready]);
  return ready;
}
