import { useEffect, useRef, useState } from "react";
import { IdleTimer, warnSecondsFor, type IdleSnapshot } from "./idle";

const ACTIVITY = ["pointerdown", "keydown", "touchstart", "wheel", "input"] as const;

/**
 * Runs the inactivity timer while mounted; any touch, key or scroll starts it again. A new `epoch`
 * (the kiosk was cleared) starts a new timer.
 */
export function useIdleReset(idleSeconds: number, onExpire: () => void, epoch = 0): { state: IdleSnapshot; stillHere: () => void } {
  const expire = useRef(onExpire);
  expire.current = onExpire;
  const [state, setState] = useState<IdleSnapshot>({ secondsLeft: idleSeconds, warning: false });
  const timer = useRef<IdleTimer | null>(null);

  useEffect(() => {
    const t = new IdleTimer(idleSeconds * 1000, warnSecondsFor(idleSeconds) * 1000, setState, () => expire.current());
    timer.current = t;
    t.start();
    const onActivity = () => t.activity();
    for (const name of ACTIVITY) window.addEventListener(name, onActivity, { capture: true, passive: true });
    window.addEventListener("scroll", onActivity, { capture: true, passive: true });
    return () => {
      t.stop();
      for (const name of ACTIVITY) window.removeEventListener(name, onActivity, { capture: true });
      window.removeEventListener("scroll", onActivity, { capture: true });
    };
  }, [idleSeconds, epoch]);

  return { state, stillHere: () => timer.current?.activity() };
}
