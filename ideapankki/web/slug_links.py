"""Links whose one varying value is a plain slug or code, built from the URL's two fixed parts.

An entry page has some fifteen links that differ from one page to the next only by one value: the
entry's and its similar entries' slugs, municipality codes, theme slugs, the type. Each url_for cost
some 3 µs (the proxy, the kept-URL key, the checks), most of a page's Python-built markup. The URL
of ENDPOINT with NAME=PLACEHOLDER is built once per process and public address (the adapter's
mount point, scheme and host) and split around the placeholder; a value of only [a-z0-9-] (which
no rule or query quotes) is put between the parts. Any other value, or a site with url_defaults
(which could add to the values), goes through url_for as before: the same URL either way.
"""

from __future__ import annotations

import re

from flask import current_app, url_for
from flask.globals import _cv_request

PLAIN = re.compile(r"[a-z0-9-]+")
PLACEHOLDER = "0placeholder0"
KEPT = 256  # (endpoint, name, address, absolute) pairs: a handful are used
_parts: dict[tuple, tuple[str, str] | None] = {}


def linker():
    """A function (endpoint, name, value, external=False, **fixed) → url_for(endpoint, **{name: value},
    _external=external) with the values FIXED given first (they order a query: kind=entry&value=…);
    one per request context, made at its first ask.
    FIXED: values the same on every page that asks (the follow link's kind=entry, a feed's lang=sv),
    part of the kept parts' key."""
    context = _cv_request.get(None)
    if context is None:
        return _url_for
    made = context.__dict__.get(LINKER_KEY)  # the request's adapter and app do not change: made once
    if made is None:
        made = context.__dict__[LINKER_KEY] = _linker(context)
    return made


LINKER_KEY = "ideapankki_linker"  # the request context's own linker (a page asks some eight times)


def _linker(context):
    adapter = context.url_adapter
    if adapter is None or context.app.url_default_functions:
        return _url_for
    where = (adapter.script_name, adapter.url_scheme, adapter.server_name, adapter.subdomain)
    plain = PLAIN.fullmatch

    def href(endpoint: str, name: str, value, external: bool = False, **fixed) -> str:
        if value.__class__ is str and plain(value):
            key = (endpoint, name, external, where, *fixed.items()) if fixed else (endpoint, name, external, where)
            parts = _parts.get(key, False)
            if parts is False:
                parts = _split(url_for(endpoint, **fixed, **{name: PLACEHOLDER}, _external=external))
                if len(_parts) >= KEPT:
                    _parts.clear()
                _parts[key] = parts
            if parts is not None:
                return parts[0] + value + parts[1]
        return url_for(endpoint, **fixed, **{name: value}, _external=external)
    return href


def _split(url: str) -> tuple[str, str] | None:
    parts = url.split(PLACEHOLDER)
    return (parts[0], parts[1]) if len(parts) == 2 else None


def _url_for(endpoint: str, name: str, value, external: bool = False, **fixed) -> str:
    return url_for(endpoint, **fixed, **{name: value}, _external=external)
