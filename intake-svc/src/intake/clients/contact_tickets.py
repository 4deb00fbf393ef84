"""identity-svc's contact tickets: the mobile an identity.person.age_reached.v1 event's ticket stands
for (`POST /v1/contact-tickets/redeem`), so no number travels on the event bus. The ticket is the
credential: no token is sent."""

from __future__ import annotations

import json

import aiohttp


class ContactUnavailable(Exception):
    """identity-svc did not answer the ticket (not reachable, or failed): try again later."""


async def redeem_contact_ticket(
    client: aiohttp.ClientSession, *, base_url: str, ticket: str, timeout: float
) -> str | None:
    """The mobile the ticket stands for, or None when identity says it is unknown or expired."""
    url = base_url.rstrip("/") + "/v1/contact-tickets/redeem"
    try:
        async with client.post(
            url, json={"ticket": ticket}, timeout=aiohttp.ClientTimeout(total=timeout)
        ) as resp:
            body = await resp.read()
            status = resp.status
    except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
        raise ContactUnavailable(f"identity-svc not reachable: {exc}") from exc
    if status in (404, 422):
        return None
    if status != 200:
        raise ContactUnavailable(f"identity-svc answered {status}")
    return str(json.loads(body)["phone"])
