"""The client's address behind the reverse proxy (issue 22).

In production the portal sits behind ``TRUSTED_PROXY_COUNT`` reverse proxies (nginx in
``docker-compose.yml``: one). Each appends the address it saw to ``X-Forwarded-For``, so
the client's real address is the entry that many places from the right; anything to its
left was written by the client and is not believed. Without proxies (development, a
direct test server) the address is ``REMOTE_ADDR``. The address feeds the login lockout
(``core.axes``) and every audit entry written while the request runs.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from ipware.ip import get_client_ip

_current: ContextVar[str | None] = ContextVar("portal_client_ip", default=None)


def client_ip(request) -> str | None:
    """The address of the client that sent ``request``, as the trusted proxies saw it."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    # python-ipware counts the proxies after the client's entry: the entry the nearest
    # proxy appended is proxy_count=0; a header shorter than expected gives None
    address, _ = get_client_ip(request, proxy_order="left-most", proxy_count=proxies - 1,
                               request_header_order=("HTTP_X_FORWARDED_FOR",), strict=False)
    return address or remote


def current_client_ip() -> str | None:
    """The client address of the request being served (``None`` outside a request: a
    worker's task, a management command)."""
    return _current.get()


class ClientAddressMiddleware:
    """Makes the request's client address known to :func:`current_client_ip` (the audit
    trail) and to ``request.client_ip``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_ip = client_ip(request)
        token = _current.set(request.client_ip)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
