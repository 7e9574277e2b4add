"""Helpers available in every template: labels, links, dates in the reader's language."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from flask import Flask, g, get_flashed_messages as flask_flashed, request, url_for
from flask.globals import _cv_request
from flask_babel import format_date, format_decimal
from markupsafe import Markup

from ..reference import THEME_SLUGS
from . import field_labels, labels, page_gettext, template_inline, template_locale
from .language_links import alternate_links, language_switch, login_href
from .i18n import (here_without_language, language, plain_rule_arguments, quoted as _quoted, url_for_this,
                   url_in_language)
from .template_cache import PROCESS_CACHE

FINLEX_URL = "https://www.finlex.fi/fi/lainsaadanto/{year}/{number}"
FACET_VALUES_SHOWN = 15  # values per facet in the sidebar (templates/partials/filters.html)


def finlex_url(number: str | None) -> str | None:
    """Return the Finlex address of the consolidated statute NUMBER (e.g. 916/2012), if it has one."""
    if not number or "/" not in number:
        return None
    serial, year = number.split("/", 1)
    return FINLEX_URL.format(year=year, number=serial)


def url_with(**changes) -> str:
    """Return the current page's URL with query arguments changed (None removes one, page resets).

    A listing page has some 65 of these links: the page's path and arguments are read once per
    request and each link appends its query encoded as url_for encodes it (urlencode with
    werkzeug's safe characters), not a rule build per link.
    """
    here = g.get("_url_with_here")
    if here is None:
        here = g._url_with_here = _here()
    path, path_names, current = here
    args = dict(current)
    if "page" not in changes:
        args.pop("page", None)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    if path is None or not path_names.isdisjoint(args):  # not a plain rule: what url_for does
        return url_for_this(request.endpoint, request.view_args or {}, args)
    if not args:
        return path
    return path + "?" + "&".join(f"{_quoted(str(key))}={_quoted(str(value))}" for key, value in args.items())


def urls_with(name: str, values: list) -> list[str]:
    """[url_with(**{NAME: value}) for value in VALUES]: a facet's links (some seventy a listing)
    share the page's other arguments, joined once here instead of a dict copied and joined per link."""
    around = link_around(name)
    if around is None:
        return [url_with(**{name: value}) for value in values]
    head, tail, removed = around
    return [removed if value is None else head + _quoted(str(value)) + tail for value in values]


def link_around(name: str) -> tuple[str, str, str] | None:
    """(HEAD, TAIL, REMOVED): url_with(**{NAME: value}) is HEAD + the value quoted + TAIL, and REMOVED
    when the value is None; None when url_with builds through url_for (the page's rule is not plain,
    or NAME or a query name is one of its path parts)."""
    here = g.get("_url_with_here")
    if here is None:
        here = g._url_with_here = _here()
    path, path_names, current = here
    names = [key for key in current if key != "page" or name == "page"]  # a change resets the page
    if path is None or name in path_names or not path_names.isdisjoint(names):
        return None
    pairs = [f"{_quoted(str(key))}={_quoted(str(current[key]))}" for key in names]
    at = names.index(name) if name in names else len(names)  # a new argument goes last, as in a dict
    before, after = pairs[:at], pairs[at + 1:]
    head = path + "?" + "".join(pair + "&" for pair in before) + _quoted(name) + "="  # the same for every value
    tail = "".join("&" + pair for pair in after)
    removed = path + "?" + "&".join(before + after) if before or after else path  # the link of None
    return head, tail, removed


def _here() -> tuple[str | None, frozenset, dict]:
    """(this page's path without a query or None, its rule's argument names, the non-empty query
    arguments). None when a query argument could change which rule or path url_for builds."""
    current = {k: v for k, v in request.args.items() if v}
    names = plain_rule_arguments(request.endpoint)
    if names is None:
        return None, frozenset(), current
    return url_for(request.endpoint, **(request.view_args or {})), names, current


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Page links to show: the first, the last and AROUND either side of PAGE; None marks a gap.

    Linking every page cost a thousand URLs per listing at 20,000 entries (most of its time).
    """
    shown = {1, pages, *range(max(1, page - around), min(pages, page + around) + 1)}
    if pages <= 2 * around + 5:  # too few to be worth gaps
        shown = set(range(1, pages + 1))
    numbers: list[int | None] = []
    for number in sorted(shown):
        if numbers and number - numbers[-1] > 1:
            numbers.append(number - 1 if number - numbers[-1] == 2 else None)  # never a gap of one page
        numbers.append(number)
    return numbers


# Finland's conventions in each language: 25.5.2022 in Finnish and Finland Swedish, 25 May 2022 in English.
DATE_PATTERNS = {"fi": "d.M.yyyy", "sv": "d.M.yyyy", "en": "d MMM yyyy"}


def long_date(value: date | None) -> str:
    """Format VALUE as a date in the reader's language."""
    if not value:
        return ""
    locale = language()
    if value.__class__ is date:  # a day is written the same way every time: Babel's pattern work once
        return _day(value, locale)
    return format_date(value, DATE_PATTERNS.get(locale, "medium"))


@lru_cache(maxsize=4096)
def _day(value: date, locale: str) -> str:
    return format_date(value, DATE_PATTERNS.get(locale, "medium"))


def get_flashed_messages(with_categories: bool = False, category_filter=()) -> list:
    """flask.get_flashed_messages, the request context looked up once instead of through three
    proxies (base.html asks on every page; the same messages, taken from the session the same way)."""
    context = _cv_request.get(None)
    if context is None or with_categories or category_filter or context.flashes is not None:
        return flask_flashed(with_categories, category_filter)
    session = context.session
    flashes = context.flashes = session.pop("_flashes") if "_flashes" in session else []
    return [flash[1] for flash in flashes]


def init_app(app: Flask) -> None:
    page_gettext.init_app(app)  # `_`, `ngettext`, current_locale() bound once per page
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.bytecode_cache = PROCESS_CACHE  # compiled once per process, not per app
    template_inline.init_app(app)  # partials compiled into the pages that include them
    app.jinja_env.globals.update(
        labels=labels,
        theme_slugs=THEME_SLUGS,
        finlex_url=finlex_url,
        url_with=url_with,
        page_numbers=page_numbers,
        facet_values_shown=FACET_VALUES_SHOWN,
        url_in_language=url_in_language,
        here_without_language=here_without_language,
        alternate_links=alternate_links,  # base.html's language links (language_links.py)
        language_switch=language_switch,
        login_href=login_href,
        municipality_name=labels.municipality_name,
        region_name=labels.region_name,
        current_locale=language,
        get_flashed_messages=get_flashed_messages,
        **field_labels.TEMPLATE_GLOBALS,
    )
    app.jinja_env.filters["date"] = long_date
    app.jinja_env.filters["number"] = format_decimal  # 1 234,5 in Finnish and Swedish, 1,234.5 in English
    app.jinja_env.filters["safe_html"] = Markup  # only for HTML already cleaned by ideapankki.markdown
    template_locale.init_app(app)  # each template compiled per language, its fixed texts and helper calls direct
