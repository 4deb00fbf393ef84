import { useEffect, useState } from "react";
import i18n from "./index";
import { loadArea } from "./areas";

/**
 * True once `area`'s texts are loaded. An area's own routes load them before rendering; pages of
 * other areas that show its parts (the fee card on a case page, the offers banner…) wait with this.
 */
export function useAreaTexts(area: string): boolean {
  const [ready, setReady] = useState(() => i18n.hasResourceBundle(i18n.language || "zh-CN", area));
  useEffect(() => {
    if (ready) return;
    let live = true;
    // On failure the page still renders: keys fall back to the common catalogue or show as keys.
    const done = () => live && setReady(true);
    void loadArea(area).then(done, done);
    return () => {
      live = false;
    };
  }, [ready, area]);
  return ready;
}
