"""`make lint`'s API document check: Redocly CLI (pinned in tools/contract/package-lock.json) lints
the merged document clients generate from (docs/api/openapi.json) and each service's committed
document with tools/contract/redocly.yaml — the recommended rules, and a warning fails as an error
does: a rule we do not want is switched off there, with why.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "contract"))

from contract_tools import HERE, _bin, ensure_node_modules, find_node

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = [
    "docs/api/openapi.json",
    *(f"{s}-svc/openapi.json" for s in ("identity", "catalog", "intake", "hotline", "evaluation")),
]


def main() -> int:
    """Lint every document; 1 when Redocly reports any problem."""
    node = find_node()
    ensure_node_modules(node)
    command = [str(node.node), str(_bin("@redocly/cli", "bin/cli.js")), "lint", "--format=summary"]
    command += ["--config", str(HERE / "redocly.yaml"), *DOCUMENTS]
    done = subprocess.run(command, cwd=REPO, env=node.env(), capture_output=True, text=True, timeout=300)
    report = done.stdout + done.stderr
    print(report.strip())
    warned = "warning" in report.lower() and "0 warnings" not in report.lower()
    return 1 if done.returncode != 0 or warned else 0


if __name__ == "__main__":
    sys.exit(main())
