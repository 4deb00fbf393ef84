import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_IDLE_SECONDS, IdleTimer, idleSecondsFrom, warnSecondsFor } from "./idle";

describe("kiosk inactivity timer", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function timer(timeoutS = 90, warnS = 15) {
    const changes: { secondsLeft: number; warning: boolean }[] = [];
    const expired = vi.fn();
    const t = new IdleTimer(timeoutS * 1000, warnS * 1000, (s) => changes.push(s), expired, () => Date.now());
    t.start();
    return { t, changes, expired };
  }

  it("warns in the last 15 seconds and clears after 90 without activity", () => {
    const { t, expired } = timer();
    vi.advanceTimersByTime(74_000);
    expect(t.state).toEqual({ secondsLeft: 16, warning: false });
    vi.advanceTimersByTime(1_000);
    expect(t.state).toEqual({ secondsLeft: 15, warning: true });
    vi.advanceTimersByTime(14_000);
    expect(t.state.secondsLeft).toBe(1);
    expect(expired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(expired).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it("starts again on any activity, also during the countdown", () => {
    const { t, expired } = timer();
    vi.advanceTimersByTime(80_000);
    expect(t.state.warning).toBe(true);
    t.activity();
    expect(t.state).toEqual({ secondsLeft: 90, warning: false });
    vi.advanceTimersByTime(89_000);
    expect(expired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it("counts every second of the countdown", () => {
    const { changes } = timer(6, 3);
    vi.advanceTimersByTime(6_000);
    expect(changes.filter((c) => c.warning).map((c) => c.secondsLeft)).toEqual([3, 2, 1]);
  });

  it("stops when the kiosk page is left", () => {
    const { t, expired } = timer(5, 2);
    t.stop();
    vi.advanceTimersByTime(10_000);
    expect(expired).not.toHaveBeenCalled();
  });

  it("takes a timeout from ?idle=, within bounds", () => {
    expect(idleSecondsFrom(null)).toBe(DEFAULT_IDLE_SECONDS);
    expect(idleSecondsFrom("abc")).toBe(DEFAULT_IDLE_SECONDS);
    expect(idleSecondsFrom("8")).toBe(8);
    expect(idleSecondsFrom("1")).toBe(3);
    expect(idleSecondsFrom("999999")).toBe(3600);
    expect(warnSecondsFor(90)).toBe(15);
    expect(warnSecondsFor(9)).toBe(3);
  });
});
