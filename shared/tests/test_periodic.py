"""PeriodicTask: the first pass at once or after a delay, again every period or when woken, a
failure logged with the pass's name and the loop going on, a clean stop (real asyncio; every wait
is on an event, none on the clock)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from yiwang_shared.periodic import PeriodicTask

#: Long enough never to elapse in a test: what happens is driven by wake() and stop().
NEVER = 3600.0


class Passes:
    """Counts passes; `wait_for(n)` returns once `n` have run."""

    def __init__(self) -> None:
        self.count = 0
        self._changed = asyncio.Condition()

    async def __call__(self) -> None:
        async with self._changed:
            self.count += 1
            self._changed.notify_all()

    async def wait_for(self, n: int) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: self.count >= n), timeout=15)


async def test_the_first_pass_runs_at_once_then_every_period() -> None:
    passes = Passes()
    task = PeriodicTask("t-every", passes, seconds=0.01)
    task.start()
    assert task.running
    await passes.wait_for(3)
    await task.stop()
    assert not task.running
    ran = passes.count
    await asyncio.sleep(0.05)
    assert passes.count == ran, "no pass after stop"


async def test_a_first_delay_holds_the_first_pass() -> None:
    passes = Passes()
    task = PeriodicTask("t-delay", passes, seconds=NEVER, first_after=NEVER)
    task.start()
    await asyncio.sleep(0)
    await task.stop()  # ends the delay: no pass at all
    assert passes.count == 0

    task.start()
    task.wake()  # a wake ends the delay too
    await passes.wait_for(1)
    await task.stop()
    assert passes.count == 1


async def test_a_wake_runs_a_pass_now_and_one_during_a_pass_another_after_it() -> None:
    release = asyncio.Event()
    started = Passes()

    async def slow() -> None:
        await started()
        await release.wait()
        release.clear()

    task = PeriodicTask("t-wake", slow, seconds=NEVER)
    task.start()
    await started.wait_for(1)
    task.wake()  # during the first pass
    release.set()
    await started.wait_for(2)  # at once after it, not NEVER seconds later
    release.set()
    task.wake()
    await started.wait_for(3)
    release.set()
    await task.stop()


async def test_a_failing_pass_is_logged_with_its_name_and_the_loop_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    passes = Passes()

    async def flaky() -> None:
        await passes()
        if passes.count == 1:
            raise RuntimeError("database away")

    log = logging.getLogger("test.periodic")
    task = PeriodicTask("t-flaky", flaky, seconds=NEVER, log=log)
    with caplog.at_level(logging.ERROR, logger="test.periodic"):
        task.start()
        await passes.wait_for(1)
        task.wake()
        await passes.wait_for(2)
        await task.stop()
    failures = [r for r in caplog.records if r.name == "test.periodic"]
    assert [r.getMessage() for r in failures] == ["t-flaky: pass failed; will retry"]
    assert failures[0].exc_info and "database away" in str(failures[0].exc_info[1])


async def test_each_step_fails_on_its_own(caplog: pytest.LogCaptureFixture) -> None:
    done: list[str] = []

    async def scan() -> None:
        raise RuntimeError("scan broke")

    async def escalate() -> None:
        done.append("escalate")

    task = PeriodicTask("t-steps", scan, escalate, seconds=NEVER, log=logging.getLogger("test.steps"))
    with caplog.at_level(logging.ERROR, logger="test.steps"):
        assert await task.run_once() is False
    assert done == ["escalate"]
    assert [r.getMessage() for r in caplog.records if r.name == "test.steps"] == [
        "t-steps: scan failed; will retry"
    ]
    done.clear()

    async def fine() -> None:
        done.append("fine")

    assert await PeriodicTask("t-ok", fine, escalate, seconds=NEVER).run_once() is True
    assert done == ["fine", "escalate"]


async def test_stop_lets_the_current_pass_finish() -> None:
    release = asyncio.Event()
    started = Passes()
    finished: list[bool] = []

    async def slow() -> None:
        await started()
        await release.wait()
        finished.append(True)

    task = PeriodicTask("t-finish", slow, seconds=NEVER)
    task.start()
    await started.wait_for(1)
    stopping = asyncio.create_task(task.stop())
    await asyncio.sleep(0)
    assert not stopping.done(), "stop waits for the pass"
    release.set()
    await stopping
    assert finished == [True] and started.count == 1


async def test_stop_cancels_a_pass_that_runs_past_the_timeout(caplog: pytest.LogCaptureFixture) -> None:
    started = Passes()
    cancelled = asyncio.Event()

    async def stuck() -> None:
        await started()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    task = PeriodicTask(
        "t-stuck", stuck, seconds=NEVER, stop_timeout=0.01, log=logging.getLogger("test.stuck")
    )
    task.start()
    await started.wait_for(1)
    with caplog.at_level(logging.WARNING, logger="test.stuck"):
        await task.stop()
    assert cancelled.is_set() and not task.running
    assert any("t-stuck: the pass did not end" in r.getMessage() for r in caplog.records)


async def test_zero_seconds_turns_it_off() -> None:
    passes = Passes()
    task = PeriodicTask("t-off", passes, seconds=0)
    assert not task.enabled
    task.start()
    assert not task.running
    await task.stop()
    await task.run_once()  # the pass itself still runs when called
    assert passes.count == 1


async def test_start_twice_runs_one_loop_and_stop_before_start_is_harmless() -> None:
    passes = Passes()
    task = PeriodicTask("t-twice", passes, seconds=NEVER)
    await task.stop()
    task.start()
    task.start()
    await passes.wait_for(1)
    await task.stop()
    assert passes.count == 1


async def test_cancelling_the_caller_of_stop_is_not_swallowed() -> None:
    release = asyncio.Event()
    started = Passes()

    async def slow() -> None:
        await started()
        await release.wait()

    task = PeriodicTask("t-caller", slow, seconds=NEVER)
    task.start()
    await started.wait_for(1)
    stopping = asyncio.create_task(task.stop())
    await asyncio.sleep(0)
    stopping.cancel()
    with pytest.raises(asyncio.CancelledError):
        await stopping


def test_a_task_needs_a_pass() -> None:
    with pytest.raises(ValueError):
        PeriodicTask("t-empty", seconds=1)
