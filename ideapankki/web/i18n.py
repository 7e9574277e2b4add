"""Language choice: Finnish by default; a switch link remembers the reader's choice in a cookie."""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace
from urllib.parse import quote_plus, urlencode

from babel import Locale

from flask import current_app, request, url_for
from flask.globals import _cv_app, _cv_request
from flask_babel import get_locale

from .slug_links import linker

COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600
QUERY_SAFE = "!$'()*,/:;?@"  # what werkzeug leaves unquoted when url_for encodes a query


def select_locale() -> str:
    """Pick the UI language: ?lang= on this request, else the remembered choice, else Finnish.

    ?lang= gives every page a stable address per language (for hreflang and shared links)
    without changing what the reader chose.
    """
    return locale_for(request.args, request.cookies, current_app.config)


def locale_for(args, cookies, config) -> str:
    """select_locale from the query arguments and cookies alone (also what an ETag's key names)."""
    languages = config["LANGUAGES"]
    for given, name in ((args, "lang"), (cookies, COOKIE)):  # `in` first: werkzeug's get makes an exception per miss
        if name in given and given[name] in languages:
            return given[name]
    return config["BABEL_DEFAULT_LOCALE"]


def language() -> str:
    """str(flask_babel.get_locale()), the same answer without its work at each call: Flask-Babel
    looks `g` up three times through context locals and Babel formats the identifier anew, and a
    page asks a dozen times (dates, names, templates). The text is kept beside Flask-Babel's locale
    for the request, for as long as that locale object stays (force_locale replaces it)."""
    app_context = _cv_app.get(None)
    held = app_context.g.__dict__.get("_flask_babel") if app_context is not None else None
    locale = getattr(held, "babel_locale", None)
    if locale is None:
        locale = _select(app_context) if app_context is not None else get_locale()  # kept for the request
        held = app_context.g.__dict__.get("_flask_babel") if app_context is not None else None
        if locale is None or held is None:
            return str(locale)
    known = getattr(held, "ideapankki_language", None)
    if known is not None and known[0] is locale:
        return known[1]
    text = str(locale)
    held.ideapankki_language = (locale, text)
    return text


def _select(app_context):
    """flask_babel.get_locale() for a context that has not selected its locale yet: the selector's
    answer as a Locale kept per code (Flask-Babel parses it anew for every request; a Locale is
    not changed by its users), stored where Flask-Babel keeps it."""
    babel = app_context.app.extensions["babel"]
    chosen = babel.locale_selector() if babel.locale_selector is not None else None
    locale = babel.instance.default_locale if chosen is None else _parsed(chosen)
    g = app_context.g
    if not hasattr(g, "_flask_babel"):
        g._flask_babel = SimpleNamespace()
    g._flask_babel.babel_locale = locale
    return locale


@lru_cache(maxsize=64)
def _parsed(code: str) -> Locale:
    return Locale.parse(code)


def here_without_language() -> str:
    """Return this page's path and query without ?lang=, as the switcher's way back (worked out
    once a request and kept on it, not in g, which can outlive a request: a test's app context)."""
    request = _cv_request.get().request
    kept = request.__dict__
    here = kept.get("_here_without_language")
    if here is None:
        args = {k: v for k, v in request.args.items(multi=True) if k != "lang"}
        here = kept["_here_without_language"] = request.path + ("?" + urlencode(args) if args else "")
    return here


def url_in_language(code: str) -> str:
    """Return this page's absolute address with ?lang=CODE.

    Every page links itself in each language (hreflang): the page's own address is built once
    (url_for; for a page of one path value, slug_links' kept parts of its URL: the entry page's
    address changes with every entry, so the URL memo seldom holds it) and each language's query
    appended to it, encoded as url_for encodes a query, when the page's rule is plain (one rule,
    no defaults, no query name that is also a path part); otherwise url_for builds each one."""
    request = _cv_request.get().request  # once, not a proxy per name
    endpoint, view_args = request.endpoint or "public.front", request.view_args or {}
    address, names, query = page_address(request)
    args = query.copy()
    args["lang"] = code
    if address is None or not names.isdisjoint(args):
        return url_for_this(endpoint, view_args, args, _external=True)
    if len(args) == 1 and code.isalpha() and code.isascii():  # only ?lang=: what urlencode gives
        return f"{address}?lang={code}"
    return address + "?" + urlencode(args, safe=QUERY_SAFE)


@lru_cache(maxsize=4096)
def quoted(text: str) -> str:
    """TEXT as url_for's query encoding writes a name or a value (urlencode with QUERY_SAFE), kept per process."""
    return quote_plus(text, safe=QUERY_SAFE)


def query_text(args: dict) -> str:
    """ARGS (str names and values) as url_for writes them after the `?`, in their order."""
    return "&".join([f"{quoted(name)}={quoted(value)}" for name, value in args.items()])


def url_with_query(endpoint: str, args: dict, **values) -> str:
    """url_for(ENDPOINT, **VALUES, **ARGS) for query ARGS of str names and values: the address of
    VALUES alone (the same on every page, so the app's URL memo keeps it) and ARGS appended as url_for
    encodes them. The search page's feed, follow and data links carry the reader's words: as url_for
    builds, each was a rule build the memo never met again, and filled the memo besides. url_for
    builds it when the rule is not plain, VALUES are not its path parts, or a name in ARGS is one of
    them or one of url_for's own (_external…)."""
    names = plain_rule_arguments(endpoint)
    if (names is None or not names.issuperset(values) or not names.isdisjoint(args)
            or any(name[:1] == "_" for name in args)):
        return url_for(endpoint, **values, **args)
    address = _cv_app.get().app.url_for(endpoint, **values)
    return address + "?" + query_text(args) if args else address


def page_address(request) -> tuple:
    """(REQUEST's page's absolute address or None when its rule is not plain, the rule's path parts,
    the query as a dict), worked out once a request and kept on it (as here_without_language)."""
    here = request.__dict__.get("_url_in_language")
    if here is None:
        endpoint, view_args = request.endpoint or "public.front", request.view_args or {}
        names = plain_rule_arguments(endpoint)
        if names is None:
            address = None
        elif len(view_args) == 1:  # an entry's, a theme's, a municipality's page: its URL's kept parts
            (name, value), = view_args.items()
            address = linker()(endpoint, name, value, True)
        else:
            address = url_for(endpoint, **view_args, _external=True)
        here = request.__dict__["_url_in_language"] = (address, names, request.args.to_dict())
    return here


def url_for_this(endpoint: str, view_args: dict, args: dict, **options) -> str:
    """url_for this page's ENDPOINT with its path parts and the query ARGS; a query name that is
    also a path part (/themes/asuminen?slug=x) is left out: url_for cannot take a name twice (a
    TypeError, a 500 for a harmless address), and the view reads the path's value, not the query's."""
    return url_for(endpoint, **view_args, **{k: v for k, v in args.items() if k not in view_args}, **options)


def plain_rule_arguments(endpoint: str) -> frozenset | None:
    """The path parts of ENDPOINT's rule if url_for would build its query from the other values
    alone, in their order; None otherwise. A page asks four times: the answer is kept on the rule
    (the endpoint's rules are read from the URL map's own table, not werkzeug's iter_rules)."""
    app = _cv_app.get().app
    url_map = app.url_map
    if any(app.url_default_functions.values()) or url_map.sort_parameters:
        return None
    if endpoint is None:  # iter_rules(None) is every rule: plain only in an app of one rule
        rules = list(url_map.iter_rules())
    else:
        rules = url_map._rules_by_endpoint.get(endpoint, ())
    if len(rules) != 1 or rules[0].defaults:
        return None
    rule = rules[0]
    names = rule.__dict__.get(_PLAIN_KEPT)
    if names is None:
        names = rule.__dict__[_PLAIN_KEPT] = frozenset(rule.arguments)
    return names


_PLAIN_KEPT = "_ideapankki_arguments"  # on a Rule: frozenset(rule.arguments), which do not change
