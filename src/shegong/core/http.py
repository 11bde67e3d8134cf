"""Small request helpers."""

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address as the server saw it. Behind a proxy, configure the
    proxy to pass the real address in REMOTE_ADDR (e.g. gunicorn's
    --forwarded-allow-ips with a proxy-protocol setup), not a header anyone can forge."""
    return request.META.get("REMOTE_ADDR") or None
