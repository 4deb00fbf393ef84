"""Drill 12 — personal data in logs: after the whole run, and after requests that carry personal
numbers in their paths the way a probe sent them (`tel13810000003`, `ID110105197809250261`,
`138-1000-0003`), scan every log line of the platform (services, gateways, NATS) for clear
resident-ID numbers (checksum-valid, 18 characters) and clear mobile numbers (1[3-9] + 9 digits,
also split by dashes or spaces). Masked values (`110105********1234`, `138****0003`) do not match.
Zero hits expected."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

from yiwang_shared.validators import mask_mobile, mask_resident_id, resident_id_check_char

from .env import DrillEnv
from .result import DrillResult
from .security_support import gateway_client

NUMBER = 12
NAME = "personal data in logs"

# Not inside a longer run of digits (a mobile: nor right after a hex digit, so ids do not match),
# and not followed by letters; letters before do not hide a number (the probe's "tel…", "ID…").
RESIDENT_ID = re.compile(r"(?<!\d)(\d{17}[\dXx])(?![0-9A-Za-z])")
#: Request, trace and event ids (32 hex digits): one can hold 18 digits in a row that spell a
#: valid resident ID (ed86ab005da71b280000000000000302); they are taken out before the scan.
HEX_ID = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{32}(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Fa-f])(1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?![0-9A-Za-z])")
#: Paths that put personal numbers where the probe put them; their log lines must come out masked.
PROBES = (
    "/api/hotline/v1/tickets/tel13810000003",
    "/api/intake/v1/applications/ID110105197809250261",
    "/api/identity/v1/persons/138-1000-0003",
    "/api/catalog/v1/items?q=138%201000%200003",
)


def is_clear_resident_id(candidate: str) -> bool:
    """True for an 18-character number whose GB 11643 check character is right."""
    return resident_id_check_char(candidate[:17]) == candidate[17].upper()


def scan_line(line: str) -> list[str]:
    """The personal numbers in clear on one line, masked for reporting."""
    line = HEX_ID.sub("", line)
    hits = [mask_resident_id(m) for m in RESIDENT_ID.findall(line) if is_clear_resident_id(m)]
    hits += [mask_mobile(re.sub(r"[- ]", "", m)) for m in MOBILE.findall(line)]
    return hits


def log_files(env: DrillEnv) -> list[Path]:
    """Every log file of the platform under test: var/logs and the drills' NATS server's log."""
    files = sorted((env.platform.var_dir / "logs").rglob("*.log*"))
    nats_log = getattr(env.nats, "log_path", None)
    if nats_log is not None and Path(nats_log).exists():
        files.append(Path(nats_log))
    return files


async def run(env: DrillEnv) -> DrillResult:
    """Send the probes, then scan every line; report files, lines and hits (masked)."""
    start = time.monotonic()
    async with gateway_client(env) as gw:
        for path in PROBES:
            await gw.get(path)
    await asyncio.sleep(0.5)  # each process writes its line when it answers; let the files settle
    lines = hits = 0
    samples: list[str] = []
    files = log_files(env)
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for number, line in enumerate(fh, start=1):
                lines += 1
                found = scan_line(line)
                if found:
                    hits += len(found)
                    if len(samples) < 5:
                        samples.append(f"{path.name}:{number} {', '.join(found)}")
    return DrillResult(
        NUMBER,
        NAME,
        env.backend,
        ok=hits == 0 and lines > 0,
        figures={"files": len(files), "lines scanned": lines, "hits": hits},
        notes="; ".join(samples) if samples else ("" if lines else "no log lines found"),
        seconds=time.monotonic() - start,
    )
