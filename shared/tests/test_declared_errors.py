"""Declared errors: a subclass with its own code is registered once, listed by package, and a second
class with the same code is refused at import."""

from __future__ import annotations

import pytest

import yiwang_shared.auth  # noqa: F401  (declares the auth.* errors)
from yiwang_shared.errors import NotFound, ProblemError, declared_errors


def test_shared_codes_are_declared_with_their_status() -> None:
    codes = {e.code: e.status for e in declared_errors("yiwang_shared")}
    assert codes["auth.role_required"] == 403
    assert codes["validation_failed"] == 422
    assert codes["not_found"] == 404


def test_a_code_declared_twice_is_refused() -> None:
    class ThingGone(NotFound):
        """Declared here."""

        code = "tests.thing_gone"

    try:
        with pytest.raises(TypeError, match="declared twice"):

            class OtherThingGone(NotFound):
                """Another class, the same code."""

                code = "tests.thing_gone"

        assert ThingGone("没有。").code == "tests.thing_gone"
    finally:
        ProblemError._declared.pop("tests.thing_gone", None)
