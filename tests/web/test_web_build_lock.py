"""Two processes asking for web/node_modules at once: one `npm ci`, the other waits for it.

From a fresh clone the browser journeys' two halves start together and each asks
`tools/web_build.py` for the front end; two `npm ci` over one node_modules fail (ENOTEMPTY). The
driver below runs `_ensure_modules` on a scratch web folder with an `npm` that records when it
runs, in two processes started at the same moment.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

NPM = """#!/bin/sh
echo "start $$" >> "{log}"
sleep 1
mkdir -p node_modules
echo "end $$" >> "{log}"
"""

DRIVER = """
import sys
from pathlib import Path
sys.path.insert(0, {tools!r})
import web_build
from contract_tools import Node

root = Path({root!r})
web_build.WEB = root / "web"
web_build.MODULES = web_build.WEB / "node_modules"
web_build.MODULES_STAMP = web_build.MODULES / ".yiwang-stamp"
web_build._ensure_modules(Node(Path(sys.executable), root / "npm", "test", "machine"))
"""


def test_two_processes_run_one_npm_ci_one_after_the_other(tmp_path: Path) -> None:
    web = tmp_path / "web"
    web.mkdir()
    (web / "package.json").write_text('{"name": "scratch"}')
    (web / "package-lock.json").write_text('{"lockfileVersion": 3}')
    log = tmp_path / "npm.log"
    npm = tmp_path / "npm"
    npm.write_text(NPM.format(log=log))
    npm.chmod(0o755)
    driver = tmp_path / "driver.py"
    driver.write_text(textwrap.dedent(DRIVER.format(tools=str(REPO / "tools"), root=str(tmp_path))))

    procs = [subprocess.Popen([sys.executable, str(driver)]) for _ in range(2)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]

    runs = log.read_text().split()
    # One install, start then end; the second process found it done when it got the lock.
    assert runs[0::2] == ["start", "end"], runs
    assert (web / "node_modules" / ".yiwang-stamp").is_file()
