"""`make lint`'s API document check: Redocly CLI (pinned in tools/contract/package-lock.json) lints
the merged document clients generate from (docs/api/openapi.json) and each service's committed
document with tools/contract/redocly.yaml — the recommended rules, and a warning fails as an error
does: a rule we do not want is switched off there, with why.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "contract"))

from contract_tools import HERE, _bin, ensure_node_modules, find_node

REPO = Path(__file__).resolve().parents[1]
#: Each document with its configuration: the merged one clients use, and each service's own.
DOCUMENTS = [
    ("docs/api/openapi.json", "redocly.yaml"),
    *(
        (f"{s}-svc/openapi.json", "redocly-service.yaml")
        for s in ("identity", "catalog", "intake", "hotline", "evaluation", "licence")
    ),
]


def main() -> int:
    """Lint every document; 1 when Redocly reports any problem, warnings included."""
    node = find_node()
    ensure_node_modules(node)
    failed = 0
    for document, config in DOCUMENTS:
        command = [str(node.node), str(_bin("@redocly/cli", "bin/cli.js")), "lint", "--format=json"]
        command += ["--config", str(HERE / config), document]
        done = subprocess.run(command, cwd=REPO, env=node.env(), capture_output=True, text=True, timeout=300)
        start = done.stdout.find("{")
        if done.returncode not in (0, 1) or start < 0:
            print(f"{document}: redocly failed ({done.returncode}): {done.stderr[-2000:]}")
            failed = 1
            continue
        problems = json.loads(done.stdout[start:])["problems"]
        print(f"{document}: {len(problems)} problems")
        for problem in problems:
            where = problem["location"][0]["pointer"] if problem.get("location") else ""
            print(f"  {problem['severity']} {problem['ruleId']} {where}: {problem['message']}")
        failed |= bool(problems)
    return failed


if __name__ == "__main__":
    sys.exit(main())
