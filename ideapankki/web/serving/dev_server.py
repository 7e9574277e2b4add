"""The demo (development) server's app: links from its own address, responses always closed.

werkzeug.serving calls a response's close() only after draining the socket; when the browser has
already reset the connection, the drain raises and close() is skipped. A static file then stays
open, and what was registered with call_on_close never runs: the mail a request queued is sent
after its response (ideapankki.outbox), so it would wait for `ideapankki send-mail`. The demo
server (`ideapankki serve`) and the tests' servers wrap the app with `closing`; gunicorn closes
responses itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from flask import Flask


def demo_app(host: str, port: int, debug: bool) -> Flask:
    """The app of `ideapankki serve` without --workers, its links built from its own address."""
    from ... import accounts, create_app
    from . import collect
    from .server import warm_search

    app = create_app({"DEMO": True, "DEBUG": debug, "PUBLIC_URL": demo_url(host, port)})
    warm_search(app)  # the thesaurus before the first request, as in a production worker
    accounts.dummy_hash()  # as the production master makes it (share_with_workers)
    collect.between_requests(app)
    app.wsgi_app = closing(app.wsgi_app)
    return app


def demo_url(host: str, port: int) -> str:
    """The demo server's links: IDEAPANKKI_PUBLIC_URL, else its own address (localhost for a wildcard)."""
    if os.environ.get("IDEAPANKKI_PUBLIC_URL"):
        return os.environ["IDEAPANKKI_PUBLIC_URL"]
    host = "localhost" if host in ("0.0.0.0", "::", "") else host
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


def closing(wsgi_app):
    """WSGI_APP whose responses are closed when their last chunk has been taken (or dropped)."""
    def app(environ, start_response):
        return _closed_when_done(wsgi_app(environ, start_response))
    return app


def _closed_when_done(body: Iterable[bytes]) -> Iterator[bytes]:
    try:
        for chunk in body:  # not `yield from`, which would close BODY itself when this is closed
            yield chunk
    finally:  # after the last chunk, at the server's close(), or when an abandoned response is collected
        close = getattr(body, "close", None)
        if close is not None:
            close()
