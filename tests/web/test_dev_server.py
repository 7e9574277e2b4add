"""The development server's responses are closed even when werkzeug skips close().

werkzeug.serving skips a response's close() when the client has reset the connection by the
time it drains the socket: call_on_close callbacks (mail after the response) never ran, and
the browser journey lost mails now and then. `dev_server.closing` closes at the last chunk.
"""

from flask import Flask

from ideapankki.web.serving import dev_server


def _app(closed: list[str]) -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def page():
        from flask import make_response

        response = make_response("hei")
        response.call_on_close(lambda: closed.append("closed"))
        return response
    return app


def _start_response(status, headers, exc_info=None):
    return lambda data: None


def test_a_response_is_closed_once_its_last_chunk_is_taken_without_close():
    closed = []
    app = dev_server.closing(_app(closed).wsgi_app)
    body = app({"REQUEST_METHOD": "GET", "PATH_INFO": "/", "SERVER_NAME": "localhost", "SERVER_PORT": "80",
                "wsgi.url_scheme": "http", "wsgi.input": None}, _start_response)
    assert b"".join(body) == b"hei"  # as the server writes it; it then skips close()
    assert closed == ["closed"]
    body.close()  # the server's own close() later changes nothing
    assert closed == ["closed"]


def test_an_abandoned_response_is_closed_when_dropped():
    closed = []
    app = dev_server.closing(_app(closed).wsgi_app)
    body = app({"REQUEST_METHOD": "GET", "PATH_INFO": "/", "SERVER_NAME": "localhost", "SERVER_PORT": "80",
                "wsgi.url_scheme": "http", "wsgi.input": None}, _start_response)
    next(iter(body))  # the write of the first chunk failed: the server stops iterating
    del body
    assert closed == ["closed"]
