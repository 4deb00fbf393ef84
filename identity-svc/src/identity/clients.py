"""Who is calling: the client's address as the gateway forwards it."""

from __future__ import annotations

import ipaddress

from starlette.requests import Request


def forwarded_address(request: Request) -> str:
    """The client's address as the gateway saw it.

    The gateway replaces any `X-Forwarded-For` a client sends with the address it saw; behind a
    trusted ingress it forwards the ingress's list plus the ingress's own address, so the client
    is then the entry before the last (a forged entry further left is ignored). Without the
    header (a direct call) it is the peer. identity-svc is reachable only through the gateway.
    """
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    if hops:
        return hops[-2] if len(hops) > 1 else hops[0]
    return request.client.host if request.client else "unknown"


def address_key(address: str) -> str:
    """An address as one client: IPv4 whole, IPv6 by its /64 network (one household or phone)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def client_key(request: Request) -> str:
    """The caller as one client, for counting wrong passwords."""
    return address_key(forwarded_address(request))
