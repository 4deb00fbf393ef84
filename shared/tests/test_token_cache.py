"""Issue 19: a verified token is remembered until it expires, and still refused like a new one."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from yiwang_shared.auth import CallableKeySource, TokenVerifier
from yiwang_shared.errors import Unauthorized
from yiwang_shared.revocation import RevocationFeed, Revocations, revocation_digest
from yiwang_shared.testing.tokens import TestTokens

_decode = jwt.decode  # the real one, for the tests' own reading of claims


def _exp(token: str) -> int:
    return int(_decode(token, options={"verify_signature": False})["exp"])


class _Keys:
    """A key source the test controls: kid → public key, with a count of lookups."""

    def __init__(self, tokens: TestTokens) -> None:
        self.keys: dict[str, Any] = {tokens.kid: tokens.public_key}
        self.lookups = 0

    async def get(self, kid: str) -> Any | None:
        self.lookups += 1
        return self.keys.get(kid)


class _List:
    """A revocation source the test controls."""

    def __init__(self) -> None:
        self.value = Revocations()

    async def fetch(self) -> Revocations:
        return self.value


@pytest.fixture(scope="module")
def tokens() -> TestTokens:
    return TestTokens()


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every token whose signature jwt.decode checks, in order."""
    seen: list[str] = []
    real = jwt.decode

    def counting(token: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(token)
        return real(token, *args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counting)
    return seen


def _verifier(tokens: TestTokens, keys: _Keys, **kw: Any) -> TokenVerifier:
    return TokenVerifier(keys, issuer=tokens.issuer, audience=tokens.audience, **kw)


async def _code(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(Unauthorized) as err:
        await verifier.verify(token)
    return err.value.code


async def test_a_second_verify_does_not_check_the_signature_again(
    tokens: TestTokens, decodes: list[str]
) -> None:
    keys = _Keys(tokens)
    verifier = _verifier(tokens, keys)
    token = tokens.token("u1", kind="staff", roles=["approver"], org_unit="110105-MZJ", sid="s1")
    first = await verifier.verify(token)
    again = [await verifier.verify(token) for _ in range(5)]
    assert decodes == [token]
    assert all(p == first for p in again) and first.subject == "u1" and first.roles == {"approver"}
    assert first.session_id == "s1" and first.org_unit_code == "110105-MZJ"
    # The kid is looked up on every call all the same (that is how a withdrawn key is noticed).
    assert keys.lookups == 6
    # Another token is verified in full; a verifier with no cache verifies every time.
    await verifier.verify(tokens.token("u1"))
    assert len(decodes) == 2
    uncached = _verifier(tokens, keys, cache_size=0)
    await uncached.verify(token)
    await uncached.verify(token)
    assert len(decodes) == 4 and uncached.cached_count == 0


async def test_a_cached_token_is_refused_once_its_session_or_account_is_revoked(
    tokens: TestTokens, decodes: list[str]
) -> None:
    source = _List()
    feed = RevocationFeed(source, interval=3600)
    verifier = _verifier(tokens, _Keys(tokens), revocations=feed)
    ended = tokens.token("u1", sid="s-ended")
    kept = tokens.token("u1", sid="s-kept")
    disabled = tokens.token("u2", sid="s-u2")
    for token in (ended, kept, disabled):
        await verifier.verify(token)
    assert verifier.cached_count == 3
    source.value = Revocations(
        sessions=frozenset({revocation_digest("session", "s-ended")}),
        accounts=frozenset({revocation_digest("account", "u2")}),
    )
    assert await feed.refresh()
    decodes.clear()
    assert await _code(verifier, ended) == "auth.token_revoked"
    assert await _code(verifier, disabled) == "auth.token_revoked"
    assert decodes == []  # refused from the cache, as a fresh check would refuse them
    assert (await verifier.verify(kept)).session_id == "s-kept"
    assert verifier.cached_count == 1  # the refused ones were forgotten
    # Still refused the next time (verified in full now: failures are not remembered).
    assert await _code(verifier, ended) == "auth.token_revoked"
    assert decodes == [ended] and verifier.cached_count == 1


async def test_a_cached_token_is_refused_after_it_expires(tokens: TestTokens, decodes: list[str]) -> None:
    verifier = _verifier(tokens, _Keys(tokens), leeway=0)
    token = tokens.token("u1", ttl=1)
    exp = _exp(token)
    await verifier.verify(token)
    assert verifier.cached_count == 1
    while time.time() < exp:  # at most a second
        time.sleep(0.05)
    assert await _code(verifier, token) == "auth.token_expired"
    assert decodes == [token] and verifier.cached_count == 0
    assert await _code(verifier, token) == "auth.token_expired"  # in full this time
    assert decodes == [token, token]


async def test_a_cached_token_lives_until_exp_plus_the_leeway_as_pyjwt_reads_it(
    tokens: TestTokens, decodes: list[str]
) -> None:
    verifier = _verifier(tokens, _Keys(tokens), leeway=2)
    token = tokens.token("u1", ttl=1)
    exp = _exp(token)
    await verifier.verify(token)
    while time.time() < exp:
        time.sleep(0.05)
    # Past exp but within the leeway: still good (from the cache), as a fresh check would say.
    assert (await verifier.verify(token)).subject == "u1"
    assert decodes == [token]
    while time.time() < exp + 2:
        time.sleep(0.05)
    assert await _code(verifier, token) == "auth.token_expired"
    assert decodes == [token]


async def test_a_cached_token_is_refused_once_its_key_is_withdrawn(
    tokens: TestTokens, decodes: list[str]
) -> None:
    keys = _Keys(tokens)
    verifier = _verifier(tokens, keys)
    token = tokens.token("u1")
    await verifier.verify(token)
    del keys.keys[tokens.kid]
    assert await _code(verifier, token) == "auth.token_unknown_key"
    assert decodes == [token] and verifier.cached_count == 0
    # Published again: the token verifies again, in full.
    keys.keys[tokens.kid] = tokens.public_key
    assert (await verifier.verify(token)).subject == "u1"
    assert decodes == [token, token]


async def test_a_kid_that_names_another_key_now_is_checked_afresh(
    tokens: TestTokens, decodes: list[str]
) -> None:
    keys = _Keys(tokens)
    verifier = _verifier(tokens, keys)
    token = tokens.token("u1")
    await verifier.verify(token)
    # The same key as a new object (a JWKS refetch, identity's key store): still a cache hit.
    keys.keys[tokens.kid] = tokens.private_key.public_key()
    await verifier.verify(token)
    assert decodes == [token]
    # The kid now names a different key: the signature no longer verifies.
    keys.keys[tokens.kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    assert await _code(verifier, token) == "auth.token_invalid"
    assert decodes == [token, token] and verifier.cached_count == 0


async def test_the_cache_stays_within_its_bound_least_recently_used_out(
    tokens: TestTokens, decodes: list[str]
) -> None:
    verifier = _verifier(tokens, _Keys(tokens), cache_size=3)
    issued = [tokens.token(f"u{i}") for i in range(5)]
    for token in issued[:3]:
        await verifier.verify(token)
    await verifier.verify(issued[0])  # used again: now the most recent
    for token in issued[3:]:
        await verifier.verify(token)
    assert verifier.cached_count == 3
    decodes.clear()
    for token in (issued[0], issued[3], issued[4]):
        await verifier.verify(token)
    assert decodes == []  # these three stayed
    await verifier.verify(issued[1])
    assert decodes == [issued[1]]  # this one had been dropped
    assert verifier.cached_count == 3
    assert TokenVerifier(CallableKeySource(_Keys(tokens).get), issuer="i", audience="a").cache_size == 10_000


async def test_failures_are_never_cached(tokens: TestTokens, decodes: list[str]) -> None:
    verifier = _verifier(tokens, _Keys(tokens))
    wrong_audience = TestTokens(audience="someone-else")
    bad = [
        "not-a-token",
        tokens.token("u1", ttl=-60),
        tokens.token("u1", typ="refresh"),
        tokens.token("u1", nbf=int(time.time()) + 3600),
        jwt.encode(
            _decode(tokens.token("u1"), options={"verify_signature": False}) | {"aud": "x"},
            tokens.private_key,
            algorithm="RS256",
            headers={"kid": tokens.kid},
        ),
        wrong_audience.token("u1"),
    ]
    for token in bad:
        with pytest.raises(Unauthorized):
            await verifier.verify(token)
        with pytest.raises(Unauthorized):
            await verifier.verify(token)
    assert verifier.cached_count == 0
