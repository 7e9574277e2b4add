"""Werkzeug's development server, with every response closed once its last byte is written.

werkzeug.serving calls a response's close() only after draining the socket; when the browser has
already reset the connection, the drain raises and close() is skipped. A static file then stays
open, and what was registered with call_on_close never runs: the mail a request queued is sent
after its response (ideapankki.outbox), so it would wait for `ideapankki send-mail`. The demo
server (`ideapankki serve`) and the tests' servers wrap the app with `closing`; gunicorn closes
responses itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator


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
