"""Access-token verification benchmark: CPU microseconds per `TokenVerifier.verify`, cached vs not.

  .venv/bin/python bench/tokens/run.py                 # 7 rounds, ~20 s
  .venv/bin/python bench/tokens/run.py --rounds 3      # quicker
  .venv/bin/python bench/tokens/run.py --json /tmp/tokens.json

1. The token is signed the way identity-svc signs one (`identity.services.tokens.TokenIssuer`:
   RS256 with a 2048-bit key, `kid` header; iss, aud, sub, kind, roles, org_unit, org_unit_code,
   loa, iat, nbf, exp, jti, typ and sid): a staff member's, by
   `yiwang_shared.testing.tokens.TestTokens`.
2. The verifier is built as every service builds it (`yiwang_shared.app`): keys from a
   `JwksKeySource` (fetched once here from an in-process JWKS, so a lookup is the dict hit it is in
   a running service), leeway 5 s, and a `RevocationFeed` holding a realistic list (1,000 ended
   sessions, 50 disabled accounts) so the revocation check hashes and looks up as it does live.
   identity-svc's own key source (its key store: the public key derived from the cached private
   key on every lookup) is measured too.
3. Rows: uncached (`cache_size=0`: header, key lookup, RSA signature, claims, revocation on every
   call, as before issue 19); cached, the same token again and again; cached, 10,000 distinct
   tokens in turn (a full cache, each hit also moving its entry in the LRU order). Each round runs
   every row in turn, `--iterations` verifies each (uncached: a tenth of them), timed with
   `time.process_time()` around the whole batch; the table gives the median over `--rounds` rounds
   of CPU microseconds per verify, and the rounds' min–max.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "shared" / "src"))

import httpx  # noqa: E402
from jwt.algorithms import RSAAlgorithm  # noqa: E402

from yiwang_shared.auth import CallableKeySource, JwksKeySource, KeySource, TokenVerifier  # noqa: E402
from yiwang_shared.revocation import RevocationFeed, Revocations, revocation_digest  # noqa: E402
from yiwang_shared.testing.tokens import TestTokens  # noqa: E402

DISTINCT = 10_000  # the default cache size: a full cache, every token of it used in turn


@dataclass
class Row:
    """One line of the table."""

    name: str
    us_per_verify: float
    low: float
    high: float


class _StaticRevocations:
    async def fetch(self) -> Revocations:
        return Revocations(
            sessions=frozenset(revocation_digest("session", str(uuid.uuid4())) for _ in range(1_000)),
            accounts=frozenset(revocation_digest("account", str(uuid.uuid4())) for _ in range(50)),
        )


def _staff_token(tokens: TestTokens) -> str:
    # What identity puts in a window clerk's token (account_claims + TokenIssuer.access_token).
    return tokens.token(
        str(uuid.uuid4()),
        kind="staff",
        roles=["window_clerk", "approver"],
        org_unit=str(uuid.uuid4()),
        org_unit_code="110105-MZJ",
        loa=3,
        ttl=900,
        sid=str(uuid.uuid4()),
    )


async def _jwks_source(tokens: TestTokens) -> KeySource:
    jwk = json.loads(RSAAlgorithm.to_jwk(tokens.public_key))
    jwk.update(kid=tokens.kid, use="sig", alg="RS256")
    doc = {"keys": [jwk]}
    client = httpx.AsyncClient(transport=httpx.MockTransport(lambda request: httpx.Response(200, json=doc)))
    source = JwksKeySource("http://identity/v1/auth/jwks", client=client)
    await source.refresh()
    return source


def _identity_source(tokens: TestTokens) -> KeySource:
    # identity.services.keys.KeyStore.public_key: a dict hit, then the public key of the private key.
    private = {tokens.kid: tokens.private_key}

    async def public_key(kid: str) -> Any | None:
        cached = private.get(kid)
        return cached.public_key() if cached is not None else None

    return CallableKeySource(public_key)


async def _batch(verifier: TokenVerifier, tokens: list[str], n: int) -> float:
    """CPU µs per verify over n verifies of `tokens` in turn."""
    count = len(tokens)
    start = time.process_time()
    for i in range(n):
        await verifier.verify(tokens[i % count])
    return (time.process_time() - start) / n * 1e6


async def main(args: argparse.Namespace) -> list[Row]:
    tokens = TestTokens()
    feed = RevocationFeed(_StaticRevocations(), interval=3600)
    await feed.refresh()
    one = [_staff_token(tokens)]
    many = [_staff_token(tokens) for _ in range(DISTINCT - 1)]  # + `one`: exactly a full cache
    jwks = await _jwks_source(tokens)
    identity = _identity_source(tokens)

    def verifier(keys: KeySource, cache_size: int) -> TokenVerifier:
        return TokenVerifier(
            keys,
            issuer=tokens.issuer,
            audience=tokens.audience,
            leeway=5,
            revocations=feed,
            cache_size=cache_size,
        )

    n, n_uncached = args.iterations, max(1, args.iterations // 10)
    cases: dict[str, Callable[[], Awaitable[float]]] = {}
    for label, keys in (("services (JWKS)", jwks), ("identity-svc (key store)", identity)):
        uncached = verifier(keys, 0)
        cached = verifier(keys, DISTINCT)
        for token in [*many, *one]:  # fill the cache: every later call is a hit
            await cached.verify(token)
        assert cached.cached_count == DISTINCT
        cases[f"{label}: uncached"] = lambda v=uncached: _batch(v, one, n_uncached)
        cases[f"{label}: cached, same token"] = lambda v=cached: _batch(v, one, n)
        cases[f"{label}: cached, full cache, {DISTINCT - 1:,} tokens in turn"] = lambda v=cached: _batch(
            v, many, n
        )
    results: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.rounds):
        for name, run in cases.items():
            results[name].append(await run())
    return [
        Row(name, statistics.median(values), min(values), max(values)) for name, values in results.items()
    ]


def _print(rows: list[Row]) -> None:
    width = max(len(r.name) for r in rows)
    print(f"{'case':<{width}}  {'CPU µs/verify':>13}  {'rounds min–max':>16}  {'vs uncached':>11}")
    base = 0.0
    for row in rows:
        if row.name.endswith("uncached"):
            base = row.us_per_verify
        ratio = f"{base / row.us_per_verify:,.0f}×" if base and not row.name.endswith("uncached") else ""
        spread = f"{row.low:,.1f}–{row.high:,.1f}"
        print(f"{row.name:<{width}}  {row.us_per_verify:>13,.1f}  {spread:>16}  {ratio:>11}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--iterations", type=int, default=20_000, help="verifies per cached batch")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args()
    rows = asyncio.run(main(args))
    _print(rows)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2, ensure_ascii=False))
