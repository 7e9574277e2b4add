"""Query parameters, read in one place: bounded whole numbers and fixed choices, else a 400.

An outside probe (issue #13) sent ?page=9223372036854775808: the number went to SQL and came
back as an OverflowError (SQLite) or a numeric error (PostgreSQL), a 500. Views read their
numbers and choices through `integer` and `choice`, so a value out of bounds never reaches the
database: it is a `BadParameter`, which errors.py shows as the 400 page with the reason, or as
the API's JSON 400 under /api/. A blank value (a form's "any") means the default on pages; the
API's document forbids blank enum and integer values, so api.py refuses them.

`init_app` also refuses, for every route, a path or query string with a NUL (PostgreSQL cannot
take it in a query parameter, and no address of the site contains one), and bounds `<int:…>`
path parts to what an id column holds.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from flask import Flask, request
from flask.globals import _cv_request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from .. import browse

MAX_PAGE = 10_000
# ASCII digits only: str.isdigit() also accepts "²" and "١", which int() refuses or reads.
_WHOLE = re.compile(r"[0-9]{1,9}")


class BoundedId(IntegerConverter):
    """`<int:…>` in routes: at most an INTEGER column's maximum, else the route does not match (404)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


class BadParameter(BadRequest):
    """A query parameter the site cannot use; the description is for the reader."""

    def __init__(self, name: str, message: str):
        super().__init__(description=message)
        self.parameter = name


def integer(name: str, default: int | None, low: int, high: int, args=None) -> int:
    """Return ?NAME as a whole number from LOW to HIGH; DEFAULT when absent or blank (None: required)."""
    raw = (request.args if args is None else args).get(name, "")
    if raw == "" and default is not None:
        return default
    if not _WHOLE.fullmatch(raw) or not low <= int(raw) <= high:
        raise BadParameter(name, _("%(name)s must be a whole number from %(min)s to %(max)s.",
                                   name=name, min=low, max=high))
    return int(raw)


def choice(name: str, allowed: Collection[str], args=None) -> str | None:
    """Return ?NAME if it is one of ALLOWED, None when absent or blank."""
    raw = (request.args if args is None else args).get(name, "")
    if raw == "":
        return None
    if raw not in allowed:
        raise BadParameter(name, _("Unknown value for %(name)s: %(value)s", name=name, value=raw[:100]))
    return raw


def filters(session, args=None, fixed: dict[str, str] | None = None, table=None) -> browse.Filters:
    """Return the browse filters of the query (or ARGS), FIXED ones (from the path) first.

    An unknown value is a BadParameter. TABLE: the listing table, to check codes in its register
    instead of SESSION's (browse.parse_filters).
    """
    if fixed:
        args = (request.args if args is None else args).to_dict()
        args.update(fixed)
    try:
        return browse.parse_filters(session, request.args if args is None else args, table)
    except browse.FilterError as exc:
        raise BadParameter(exc.name, _("The filter “%(name)s” has a value that does not exist: %(value)s",
                                       name=exc.name, value=str(exc.value)[:100])) from None


def refuse_nul() -> None:
    """400 for a NUL anywhere in the path or the query (before any view passes it to SQL). The
    request's WSGI strings are looked at first: a NUL in the decoded path is one in PATH_INFO, and a
    query argument's NUL comes from a %00 or a NUL in QUERY_STRING; without any (nearly every
    request) the answer is known without a proxy lookup or a walk of the parsed arguments."""
    environ = _cv_request.get().request.environ
    path, query = environ.get("PATH_INFO") or "", environ.get("QUERY_STRING", "")
    if "\x00" not in path and "%00" not in query and "\x00" not in query:
        return
    if "\x00" in request.path or any("\x00" in key or "\x00" in value
                                     for key, value in request.args.items(multi=True)):
        raise BadParameter("", _("The address contains a character that is not allowed."))


def init_app(app: Flask) -> None:
    """Bound path ids (before any route is added) and refuse NUL."""
    app.url_map.converters["int"] = BoundedId
    app.before_request(refuse_nul)
