"""Language choice: Finnish by default; a switch link remembers the reader's choice in a cookie."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, request, url_for

COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600


def select_locale() -> str:
    """Pick the UI language: ?lang= on this request, else the remembered choice, else Finnish.

    ?lang= gives every page a stable address per language (for hreflang and shared links)
    without changing what the reader chose.
    """
    return locale_for(request.args, request.cookies, current_app.config)


def locale_for(args, cookies, config) -> str:
    """select_locale from the query arguments and cookies alone (also what an ETag's key names)."""
    languages = config["LANGUAGES"]
    for chosen in (args.get("lang"), cookies.get(COOKIE)):
        if chosen in languages:
            return chosen
    return config["BABEL_DEFAULT_LOCALE"]


def here_without_language() -> str:
    """Return this page's path and query without ?lang=, as the switcher's way back."""
    args = {k: v for k, v in request.args.items(multi=True) if k != "lang"}
    return request.path + ("?" + urlencode(args) if args else "")


def url_in_language(code: str) -> str:
    """Return this page's absolute address with ?lang=CODE."""
    args = request.args.to_dict()
    args["lang"] = code
    return url_for(request.endpoint or "public.front", **(request.view_args or {}), **args, _external=True)
