"""Periodic background passes, one shape for every service: every `seconds` a pass runs (it opens
its own transactions), a failing pass is logged with its name and tried again next time, and the
task stops cleanly on shutdown.

    task = PeriodicTask("intake-fee-worker", worker.fee_pass, seconds=settings.fee_worker_seconds, log=log)
    task.start()        # in a start-up hook; seconds <= 0: the setting turns it off, nothing runs
    task.wake()         # optional: pass now (a commit made work) instead of at the next tick
    await task.stop()   # in a shutdown hook: after the current pass (cancelled past `stop_timeout`)

The first pass runs at once, or `first_after` seconds after start. A pass may be several steps
(`PeriodicTask(name, scan, escalate, seconds=...)`): they run in order, each failing on its own.
Tests call the pass itself (`worker.fee_pass()`), not the task.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

__all__ = ["PeriodicTask", "Step"]

#: One step of a pass: a coroutine function of no arguments (its result is not used).
Step = Callable[[], Awaitable[object]]

_log = logging.getLogger("yiwang.periodic")


def _step_name(step: Step) -> str:
    return getattr(step, "__name__", None) or repr(step)


class PeriodicTask:
    """Runs `steps` in order every `seconds` in the background, until stopped."""

    def __init__(
        self,
        name: str,
        *steps: Step,
        seconds: float,
        first_after: float = 0.0,
        stop_timeout: float = 10.0,
        log: logging.Logger | None = None,
    ) -> None:
        if not steps:
            raise ValueError(f"{name}: a periodic task needs a pass")  # not user-facing
        self.name = name
        self.steps = steps
        self.seconds = seconds
        self.first_after = first_after
        self.stop_timeout = stop_timeout
        self.log = log or _log
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    @property
    def enabled(self) -> bool:
        """False when the interval is 0 (the setting that turns the task off)."""
        return self.seconds > 0

    @property
    def running(self) -> bool:
        """True while the background loop runs."""
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start the loop in the background (nothing when disabled or already running)."""
        if not self.enabled or self.running:
            return
        self._stopping = False
        self._wake.clear()
        self._task = asyncio.create_task(self._run(), name=self.name)

    def wake(self) -> None:
        """Run the next pass now rather than at the next tick (after the current one, if any)."""
        self._wake.set()

    async def stop(self) -> None:
        """Stop after the current pass; cancel it when it runs past `stop_timeout` seconds."""
        self._stopping = True
        self._wake.set()
        task, self._task = self._task, None
        if task is None:
            return
        try:
            await asyncio.wait_for(task, timeout=self.stop_timeout)  # cancels it on timeout
        except TimeoutError:
            self.log.warning(
                "%s: the pass did not end within %s s of stop; cancelled", self.name, self.stop_timeout
            )
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # the caller is cancelled, not (only) the task

    async def run_once(self) -> bool:
        """One pass now: every step, each failure logged; True when none failed."""
        ok = True
        for step in self.steps:
            try:
                await step()
            except Exception:  # a database blip, a service away: the next pass tries again
                ok = False
                if len(self.steps) == 1:
                    self.log.exception("%s: pass failed; will retry", self.name)
                else:
                    self.log.exception("%s: %s failed; will retry", self.name, _step_name(step))
        return ok

    async def _run(self) -> None:
        if self.first_after > 0:
            await self._wait(self.first_after)
        while not self._stopping:
            self._wake.clear()  # a wake during the pass makes another pass at once
            await self.run_once()
            if not self._stopping:
                await self._wait(self.seconds)

    async def _wait(self, seconds: float) -> None:
        """Until `seconds` have passed, a wake, or stop."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
