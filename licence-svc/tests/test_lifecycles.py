"""The licence's declared state machine: revoked and expired are final; suspension is undone only
by reinstating."""

from licence.lifecycles import LICENCE


def test_final_states_are_revoked_and_expired() -> None:
    assert sorted(LICENCE.final_states) == ["expired", "revoked"]


def test_what_each_state_allows() -> None:
    assert sorted(LICENCE.allowed("valid")) == ["expire", "revoke", "suspend"]
    assert sorted(LICENCE.allowed("suspended")) == ["expire", "reinstate", "revoke"]
    assert LICENCE.target("suspended", "reinstate") == "valid"
