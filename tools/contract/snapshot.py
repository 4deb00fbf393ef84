"""`make api-snapshot`: start the platform on free ports, fetch the merged document, write the snapshot.

The snapshot (docs/api/openapi.json) is the reviewed contract: `make test` fails while the live
merged document differs from it (tests/e2e/test_api_contract.py), so a change to the API shows up
in review as a diff of this file. Run this after a deliberate API change and commit the result.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tools"))

from devstack import SERVICES, Platform, free_port  # noqa: E402
from migrate import migrate_all  # noqa: E402

SNAPSHOT = REPO / "docs" / "api" / "openapi.json"


def canonical(document: dict[str, Any]) -> str:
    """The snapshot's text: the document as served, indented, Chinese kept readable."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def fetch_live_document(gateway_url: str) -> dict[str, Any]:
    """GET /api/openapi.json from a running gateway."""
    with urllib.request.urlopen(gateway_url + "/api/openapi.json", timeout=60) as resp:
        return dict(json.load(resp))


def _log_tails(log_dir: Path, lines: int = 15) -> str:
    """The last lines of every process log, to say why a process died."""
    out = []
    for log in sorted(log_dir.glob("*.log")):
        if log.name == "nats.log":
            continue
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        if tail:
            out.append(f"--- {log.name}\n" + "\n".join(tail))
    return "\n".join(out)


def live_document() -> dict[str, Any]:
    """The merged document of the platform as this checkout builds it (own NATS, SQLite, free ports)."""
    with tempfile.TemporaryDirectory(prefix="yiwang-api-snapshot-") as tmp:
        platform = Platform(
            var_dir=Path(tmp),
            nats_url=f"nats://127.0.0.1:{free_port()}",
            gateway_port=free_port(),
            ports={svc.name: free_port() for svc in SERVICES},
        )
        try:
            platform.ensure_nats()
            migrate_all({svc.name: platform.database_url(svc) for svc in SERVICES})
            platform.start()
            document = fetch_live_document(platform.gateway_url)
            for _ in range(5):
                # A service builds its document on the first ask; on a busy machine that can take
                # longer than the gateway waits, and the next ask finds it built.
                if not document.get("x-unavailable-services"):
                    break
                time.sleep(3)
                document = fetch_live_document(platform.gateway_url)
        except RuntimeError as exc:
            raise SystemExit(f"the platform did not start: {exc}\n{_log_tails(Path(tmp) / 'logs')}") from exc
        finally:
            platform.stop()
    missing = document.get("x-unavailable-services") or []
    if missing:
        raise SystemExit(f"the gateway could not fetch these services' documents: {', '.join(missing)}")
    return document


def main(argv: list[str]) -> int:
    """Write the snapshot (or, with --check, say whether it is current)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if it differs")
    parser.add_argument("--output", type=Path, default=SNAPSHOT, help=f"default {SNAPSHOT.relative_to(REPO)}")
    args = parser.parse_args(argv)
    text = canonical(live_document())
    current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
    if args.check:
        same = current is not None and json.loads(current) == json.loads(text)
        print(f"{args.output}: {'up to date' if same else 'differs from the live document'}")
        return 0 if same else 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    paths = json.loads(text)["paths"]
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    operations = sum(1 for item in paths.values() for key in item if key in methods)
    print(f"wrote {args.output}: {len(paths)} paths, {operations} operations")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
