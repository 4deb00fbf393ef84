"""Who is calling: the client's address as the gateway forwards it (for throttles and counts that
must tell clients apart: identity's wrong passwords, evaluation's anonymous guide views)."""

from __future__ import annotations

import ipaddress

from starlette.requests import Request


def forwarded_address(request: Request) -> str:
    """The client's address as the gateway saw it.

    The gateway replaces any `X-Forwarded-For` a client sends with the address it saw; behind a
    trusted ingress it forwards the ingress's list plus the ingress's own address, so the client
    is then the entry before the last (a forged entry further left is ignored). Without the
    header (a direct call) it is the peer. Services are reachable only through the gateway (the
    network policies), so a forged header from outside never gets this far.
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
    """The caller as one client (the forwarded address, IPv6 by /64)."""
    return address_key(forwarded_address(request))
