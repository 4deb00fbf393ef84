/**
 * The kiosk's inactivity timer (自助终端无操作自动清除): after `timeoutMs` without a touch, key or
 * scroll the session is cleared and the kiosk returns to its home page; during the last `warnMs` a
 * countdown is shown so the person can ask for more time.
 */
export const DEFAULT_IDLE_SECONDS = 90;
export const WARN_SECONDS = 15;
/** Shortest and longest timeouts `?idle=<seconds>` may set (tests use a short one). */
const MIN_IDLE_SECONDS = 3;
const MAX_IDLE_SECONDS = 3600;

export interface IdleSnapshot {
  /** Whole seconds left before the kiosk clears itself. */
  secondsLeft: number;
  /** True during the last seconds, when the countdown is shown. */
  warning: boolean;
}

/** The timeout from `?idle=<seconds>`, within bounds; the default when absent or not a number. */
export function idleSecondsFrom(value: string | null | undefined, fallback = DEFAULT_IDLE_SECONDS): number {
  if (value === null || value === undefined || !/^\d+$/.test(value.trim())) return fallback;
  return Math.min(MAX_IDLE_SECONDS, Math.max(MIN_IDLE_SECONDS, Number(value.trim())));
}

/** How long the countdown shows for a timeout: 15 s, or a third of a shorter timeout. */
export function warnSecondsFor(idleSeconds: number): number {
  return Math.min(WARN_SECONDS, Math.max(1, Math.floor(idleSeconds / 3)));
}

export class IdleTimer {
  private last: number;
  private timer: ReturnType<typeof setInterval> | null = null;
  private expired = false;
  private snapshot: IdleSnapshot;

  constructor(
    private readonly timeoutMs: number,
    private readonly warnMs: number,
    private readonly onChange: (state: IdleSnapshot) => void,
    private readonly onExpire: () => void,
    private readonly now: () => number = Date.now,
  ) {
    this.last = now();
    this.snapshot = this.compute();
  }

  get state(): IdleSnapshot {
    return this.snapshot;
  }

  /** Start ticking (four times a second, so the countdown never skips a second). */
  start(): void {
    this.stop();
    this.expired = false;
    this.last = this.now();
    this.publish();
    this.timer = setInterval(() => this.tick(), 250);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** The person did something: the full timeout starts again. */
  activity(): void {
    if (this.expired) return;
    this.last = this.now();
    this.publish();
  }

  /** Check the clock (called by the interval; tests call it directly). */
  tick(): void {
    if (this.expired) return;
    if (this.now() - this.last >= this.timeoutMs) {
      this.expired = true;
      this.stop();
      this.snapshot = { secondsLeft: 0, warning: false };
      this.onChange(this.snapshot);
      this.onExpire();
      return;
    }
    this.publish();
  }

  private compute(): IdleSnapshot {
    const left = Math.max(0, this.timeoutMs - (this.now() - this.last));
    return { secondsLeft: Math.ceil(left / 1000), warning: left <= this.warnMs };
  }

  private publish(): void {
    const next = this.compute();
    if (next.secondsLeft === this.snapshot.secondsLeft && next.warning === this.snapshot.warning) return;
    this.snapshot = next;
    this.onChange(next);
  }
}
