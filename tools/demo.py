"""`make demo`: load every service's demo data (idempotent) into the databases `make run` uses.

Each service's loader migrates its own database first. Published catalogue items reach the other
services through NATS once catalog-svc runs (its outbox holds the events until then).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from devstack import REPO, Platform


def main() -> int:
    """Load the demo data and print what was loaded."""
    var_dir = Path(os.environ.get("YIWANG_VAR_DIR", REPO / "var"))
    var_dir.mkdir(parents=True, exist_ok=True)
    platform = Platform(var_dir=var_dir, nats_url=os.environ.get("NATS_URL", "nats://127.0.0.1:4222"))
    try:
        logins, summaries = platform.load_demo()
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    for line in summaries:
        print(line)
    print("Demo logins (password Demo#2026):" if logins else "")
    for login in logins:
        print("  " + login.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
