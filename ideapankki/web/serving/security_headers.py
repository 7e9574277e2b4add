"""Security headers on every response: a Content-Security-Policy that allows no inline script or style.

The site's own CSS and JavaScript are static files, so the policy can forbid everything
inline; injected markup that slipped past the sanitiser then still cannot run script.
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


NAMES = {name.lower(): (name, value) for name, value in HEADERS.items()}


def add_headers(response: Response) -> Response:
    """Set the headers unless a view chose its own value. (Not Headers.setdefault: werkzeug's
    membership test makes and catches a BadRequestKeyError for each header missing, as all are.)"""
    present = {name.lower() for name in response.headers.keys()}
    for key, (name, value) in NAMES.items():
        if key not in present:
            response.headers.add(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_headers)
