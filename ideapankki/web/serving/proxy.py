"""Behind a reverse proxy: trust X-Forwarded-* only when configured; HSTS when served over HTTPS.

IDEAPANKKI_PROXY_FIX says how many proxies in front of the site set the X-Forwarded headers:
`1` (one nginx) trusts the last X-Forwarded-For and X-Forwarded-Proto hop; the long form
`x_for=1,x_proto=1,x_host=1,x_port=0,x_prefix=0` picks each header's count. Unset, nothing
is trusted: a client could otherwise choose its own address (and escape the per-address log-in
throttle) or its own host (and poison the links in password e-mails). Host, port and prefix
are never trusted by the short form, since a proxy that does not overwrite them would pass a
client's value through.

IDEAPANKKI_HTTPS=1 (the site is only reached over HTTPS) makes the cookies Secure (config.py)
and adds Strict-Transport-Security to every response here.
"""

from __future__ import annotations

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ...config import ConfigError

HSTS = "max-age=31536000; includeSubDomains"
_KEYS = ("x_for", "x_proto", "x_host", "x_port", "x_prefix")


def proxy_fix_counts(value: str | None) -> dict[str, int] | None:
    """Parse IDEAPANKKI_PROXY_FIX into ProxyFix's arguments (None: trust no proxy header)."""
    value = (value or "").strip()
    if not value or value == "0":
        return None
    if value.isdigit():
        return {"x_for": int(value), "x_proto": int(value)}
    counts = {}
    for part in value.split(","):
        key, _eq, number = part.strip().partition("=")
        if key not in _KEYS or not number.strip().isdigit():
            raise ConfigError(f"IDEAPANKKI_PROXY_FIX: expected a number of proxies or "
                              f"x_for=N,x_proto=N,… (keys {', '.join(_KEYS)}), got {value!r}")
        counts[key] = int(number)
    return counts if any(counts.values()) else None


def add_hsts(response):
    """Strict-Transport-Security."""
    response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    """Wrap APP in ProxyFix when PROXY_FIX (or the environment) asks for it; add HSTS over HTTPS."""
    https = app.config.setdefault("HTTPS", os.environ.get("IDEAPANKKI_HTTPS") == "1")
    counts = proxy_fix_counts(app.config.setdefault("PROXY_FIX", os.environ.get("IDEAPANKKI_PROXY_FIX")))
    if counts:
        app.wsgi_app = ProxyFix(app.wsgi_app, **counts)
    if https:
        app.config["PREFERRED_URL_SCHEME"] = "https"
        app.after_request(add_hsts)
