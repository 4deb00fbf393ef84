"""Moves this Python process's wall clock for `make test-clock` (see tools/test_clock.py).

Python imports `sitecustomize` at start-up from `PYTHONPATH`, so every Python process of a suite —
pytest, the services it starts, their command-line tools — runs on one shifted clock:
real time + `YIWANG_CLOCK_OFFSET` seconds, ticking. time-machine patches `time.time`,
`datetime.now`, `date.today` and friends; `time.monotonic` (timeouts, asyncio) stays real.
Nothing happens when the variable is unset.
"""

import os

_offset = os.environ.get("YIWANG_CLOCK_OFFSET")
if _offset:
    import time

    import time_machine

    # The destination is computed from each process's own start, so all of them agree.
    time_machine.travel(time.time() + float(_offset), tick=True).start()
