"""Password-hashing benchmark: CPU and wall milliseconds of argon2id per hash and per verify for
the parameters identity-svc used, the OWASP Password Storage Cheat Sheet's five equivalent
argon2id settings and RFC 9106's second recommended option (its first, 2 GiB, with `--with-2gib`),
side by side; logins per second per core; cores a city of 20 million needs at its peak hour;
and what a GPU attacker gets per second under the memory-bandwidth model OWASP's figures come from.

  .venv/bin/python bench/passwords/run.py                   # 7 rounds × 20 hash+verify each
  .venv/bin/python bench/passwords/run.py --rounds 3 --iterations 5            # quicker
  .venv/bin/python bench/passwords/run.py --with-2gib --json /tmp/passwords.json

1. Every setting is hashed and verified with argon2-cffi's `PasswordHasher` exactly as
   identity-svc builds it (`identity.services.passwords.Passwords`: argon2id, 16-byte salt,
   32-byte tag), the verify against a hash of the same setting: a login is one verify.
2. A round runs `--iterations` hash+verify pairs of every setting, the settings in turn (the order
   shuffled per round) so that load from other processes on a shared machine falls on all of
   them alike; each pair is timed with `time.process_time()` (CPU of every thread of this process:
   with p=4 argon2 runs four threads) and `time.perf_counter()` (wall). A round's figure is the
   mean of its pairs; the table shows the median over `--rounds` rounds (and the spread of the
   rounds' verify CPU, min–max).
3. Derived columns: logins per second per core = 1000 / verify CPU ms; cores at the city's peak =
   peak logins/s × verify CPU seconds, and cores to provision at 60 % utilisation (the load
   assumptions of bench/capacity: 40,000 logins per million residents a day over 14 hours,
   peak hour 3 × average, so 47.6 logins/s for 20 million); attacker guesses per second per GPU
   = 960 GB/s ÷ (1024 × (3t − 1) × m KiB), the memory-bandwidth model behind OWASP's argon2id
   table (tobtu.com/minimum-password-settings, "based on RX 7900 XTX's memory bandwidth": each
   block of every pass but the first half-pass reads two blocks and writes one), which puts
   OWASP's settings at ≈ 10,000 guesses/s per GPU.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher, Type

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "identity-svc" / "src"))
sys.path.insert(0, str(REPO / "shared" / "src"))

from identity.config import Settings  # noqa: E402

PASSWORD = "Correct-Horse-2026"
GPU_BANDWIDTH = 960e9  # bytes/s, RX 7900 XTX: the figure OWASP's argon2id table is computed from
RESIDENTS_MILLIONS = 20
LOGINS_PER_MILLION_A_DAY, BUSY_HOURS = 40_000, 14  # bench/capacity/run.py LOAD_PER_MILLION["login"]
PEAK_FACTOR, TARGET_UTILISATION = 3.0, 0.6  # bench/capacity/run.py
PEAK_LOGINS = LOGINS_PER_MILLION_A_DAY * RESIDENTS_MILLIONS / (BUSY_HOURS * 3600) * PEAK_FACTOR


@dataclass(frozen=True)
class Setting:
    """One argon2id setting: memory (KiB), passes, lanes, and where it comes from."""

    name: str
    memory_kib: int
    time_cost: int
    parallelism: int

    def hasher(self) -> PasswordHasher:
        return PasswordHasher(
            time_cost=self.time_cost,
            memory_cost=self.memory_kib,
            parallelism=self.parallelism,
            type=Type.ID,
        )

    def label(self) -> str:
        mib = self.memory_kib / 1024
        return f"m={self.memory_kib} ({mib:g} MiB) t={self.time_cost} p={self.parallelism}"


SETTINGS = [
    Setting("before: t=3, 64 MiB, 4 lanes (= RFC 9106 2nd)", 65536, 3, 4),
    Setting("before's memory and passes, 1 lane", 65536, 3, 1),
    Setting("OWASP 1", 47104, 1, 1),
    Setting("OWASP 2 (its summary's minimum)", 19456, 2, 1),
    Setting("OWASP 3", 12288, 3, 1),
    Setting("OWASP 4", 9216, 4, 1),
    Setting("OWASP 5", 7168, 5, 1),
]
RFC_FIRST = Setting("RFC 9106 1st: t=1, 2 GiB, 4 lanes", 2 * 1024 * 1024, 1, 4)


@dataclass
class Row:
    """Median figures of one setting over the rounds."""

    setting: Setting
    hash_cpu_ms: float
    hash_wall_ms: float
    verify_cpu_ms: float
    verify_wall_ms: float
    verify_sys_ms: float
    verify_cpu_min_ms: float
    verify_cpu_max_ms: float
    rounds: int
    iterations: int

    @property
    def logins_per_core(self) -> float:
        return 1000 / self.verify_cpu_ms

    @property
    def peak_cores(self) -> float:
        return PEAK_LOGINS * self.verify_cpu_ms / 1000

    @property
    def guesses_per_gpu(self) -> float:
        s = self.setting
        return GPU_BANDWIDTH / (1024 * (3 * s.time_cost - 1) * s.memory_kib)


def _cpu() -> tuple[float, float]:
    """(user, system) CPU seconds of every thread of this process so far."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime, r.ru_stime


def timed_pair(hasher: PasswordHasher, stored: str) -> tuple[float, ...]:
    """(hash CPU, hash wall, verify CPU, verify wall, verify system CPU) in seconds: one hash and
    one verify, in the worker thread that calls it (identity-svc hashes in `asyncio.to_thread`)."""
    u0, s0 = _cpu()
    w0 = time.perf_counter()
    hasher.hash(PASSWORD)
    u1, s1 = _cpu()
    w1 = time.perf_counter()
    hasher.verify(stored, PASSWORD)
    u2, s2 = _cpu()
    w2 = time.perf_counter()
    return (u1 - u0) + (s1 - s0), w1 - w0, (u2 - u1) + (s2 - s1), w2 - w1, s2 - s1


def measure(settings: list[Setting], rounds: int, iterations: dict[str, int], seed: int) -> list[Row]:
    """Median over `rounds` of each setting's mean hash and verify time, settings interleaved."""
    rng = random.Random(seed)
    hashers = {s.name: s.hasher() for s in settings}
    stored = {s.name: hashers[s.name].hash(PASSWORD) for s in settings}
    samples: dict[str, list[list[float]]] = {s.name: [] for s in settings}
    with ThreadPoolExecutor(max_workers=1) as worker:  # one thread, reused, like to_thread's pool
        for s in settings:  # warm-up: the worker's malloc arena, argon2's code paths
            worker.submit(timed_pair, hashers[s.name], stored[s.name]).result()
        for r in range(rounds):
            order = list(settings)
            rng.shuffle(order)
            for s in order:
                pairs = [
                    worker.submit(timed_pair, hashers[s.name], stored[s.name]).result()
                    for _ in range(iterations[s.name])
                ]
                samples[s.name].append([statistics.fmean(p[i] for p in pairs) for i in range(5)])
            print(f"  round {r + 1}/{rounds}, load average {os.getloadavg()[0]:.2f}", file=sys.stderr)
    rows = []
    for s in settings:
        per_round = samples[s.name]
        med = [statistics.median(x[i] for x in per_round) * 1000 for i in range(5)]
        verify_cpu = [x[2] * 1000 for x in per_round]
        rows.append(
            Row(
                s,
                hash_cpu_ms=med[0],
                hash_wall_ms=med[1],
                verify_cpu_ms=med[2],
                verify_wall_ms=med[3],
                verify_sys_ms=med[4],
                verify_cpu_min_ms=min(verify_cpu),
                verify_cpu_max_ms=max(verify_cpu),
                rounds=rounds,
                iterations=iterations[s.name],
            )
        )
    return rows


def table(rows: list[Row], chosen: tuple[int, int, int]) -> str:
    """The markdown table of README.md and ADR 0009."""
    lines = [
        "| setting | m, t, p | hash CPU / wall ms | verify (= login) CPU / wall ms | of which kernel ms | "
        "verify CPU, rounds min–max | logins/s per core | city peak: cores (at 60 %) | GPU guesses/s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        s = r.setting
        mark = " **(chosen)**" if (s.memory_kib, s.time_cost, s.parallelism) == chosen else ""
        lines.append(
            f"| {s.name}{mark} | {s.label()} | {r.hash_cpu_ms:.1f} / {r.hash_wall_ms:.1f} | "
            f"{r.verify_cpu_ms:.1f} / {r.verify_wall_ms:.1f} | {r.verify_sys_ms:.1f} | "
            f"{r.verify_cpu_min_ms:.1f}–{r.verify_cpu_max_ms:.1f} | {r.logins_per_core:.1f} | "
            f"{r.peak_cores:.2f} ({r.peak_cores / TARGET_UTILISATION:.1f}) | {r.guesses_per_gpu:,.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=7, help="rounds; the table shows their median")
    parser.add_argument("--iterations", type=int, default=20, help="hash+verify pairs per setting per round")
    parser.add_argument("--with-2gib", action="store_true", help="also RFC 9106's first option (2 GiB)")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()

    settings = list(SETTINGS)
    iterations = {s.name: args.iterations for s in settings}
    if args.with_2gib:
        settings.append(RFC_FIRST)
        iterations[RFC_FIRST.name] = max(1, args.iterations // 10)  # ~2 s each: fewer
    fields = Settings.model_fields
    chosen = (
        int(fields["argon2_memory_cost_kib"].default),
        int(fields["argon2_time_cost"].default),
        int(fields["argon2_parallelism"].default),
    )
    print(
        f"argon2id, {args.rounds} rounds × {args.iterations} hash+verify per setting; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}",
        file=sys.stderr,
    )
    started = time.perf_counter()
    rows = measure(settings, args.rounds, iterations, args.seed)
    load = os.getloadavg()
    print(table(rows, chosen))
    print(
        f"\nidentity-svc's defaults (Settings): m={chosen[0]} t={chosen[1]} p={chosen[2]}. "
        f"City peak = {PEAK_LOGINS:.1f} logins/s ({RESIDENTS_MILLIONS} M residents). "
        f"{time.perf_counter() - started:.0f} s; load average at the end "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} on {os.cpu_count()} CPUs."
    )
    if args.json:
        out: list[dict[str, Any]] = []
        for r in rows:
            d = asdict(r)
            d.update(
                logins_per_core=r.logins_per_core,
                peak_cores=r.peak_cores,
                guesses_per_gpu=r.guesses_per_gpu,
            )
            out.append(d)
        args.json.write_text(json.dumps({"peak_logins": PEAK_LOGINS, "rows": out}, indent=2))


if __name__ == "__main__":
    main()
