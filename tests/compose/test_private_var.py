"""`make run` keeps var/ to its user (issue 15, point 3): under it identity.db was 0644 with the
signing key's private PEM in clear, and uploaded materials were world-readable."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

from devstack import private_var, signing_key_passphrase  # noqa: E402


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_var_is_made_private_and_stays_so(tmp_path: Path) -> None:
    var = tmp_path / "var"
    (var / "intake-files" / "ab").mkdir(parents=True, mode=0o755)
    old = var / "identity.db"
    old.write_bytes(b"x")
    old.chmod(0o644)
    (var / "intake-files" / "ab" / "abc").write_bytes(b"%PDF-")
    umask = os.umask(0o022)
    try:
        private_var(var)
        assert {_mode(p) for p in var.rglob("*") if p.is_dir()} | {_mode(var)} == {0o700}
        assert {_mode(p) for p in var.rglob("*") if p.is_file()} == {0o600}
        new = var / "hotline.db"
        new.write_bytes(b"y")  # created after: the umask keeps it private too
        assert _mode(new) == 0o600
    finally:
        os.umask(umask)


def test_the_signing_key_passphrase_lives_in_a_file_of_its_own(tmp_path: Path) -> None:
    first = signing_key_passphrase(tmp_path)
    path = tmp_path / "secrets" / "identity-signing-key.passphrase"
    assert len(first) >= 32 and _mode(path) == 0o600 and _mode(path.parent) == 0o700
    assert signing_key_passphrase(tmp_path) == first  # the same on every start
