"""Error pages in the site's own layout."""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from .params import BadParameter

MESSAGES = {
    400: (_l("Bad request"), _l("The address contains a value the site does not understand.")),
    403: (_l("No access"), _l("You do not have permission to see this page.")),
    404: (_l("Page not found"), _l("There is no page at this address. It may have moved or never existed.")),
    405: (_l("Method not allowed"), _l("This page cannot be used that way.")),
    500: (_l("Something went wrong"), _l("The site ran into an error. Please try again in a moment.")),
}


def render_error(code: int, detail: str | None = None):
    """Render the error page for CODE, with an optional specific DETAIL."""
    title, message = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, message=message, detail=detail), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = exc.code or 500
        if request.path.startswith("/api/"):
            response = _api_error(exc.description or exc.name, code)
        elif code not in MESSAGES:
            return exc
        else:
            detail = exc.description if isinstance(exc, BadParameter) else None
            body, _code = render_error(code, detail)
            response = make_response(body, code)
        # The exception's own headers, such as a 405's Allow (RFC 9110), without its content type.
        response.headers.extend((k, v) for k, v in exc.get_headers() if k.lower() != "content-type")
        return response

    @app.errorhandler(500)
    def server_error(_exc):
        if request.path.startswith("/api/"):
            return _api_error("internal error", 500)
        return render_error(500)


def _api_error(message: str, code: int):
    """A JSON error that scripts on any origin can read, as the API's own answers."""
    response = jsonify({"error": message, "status": code})
    response.status_code = code
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
