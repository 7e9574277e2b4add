"""base.html's language links written in Python: the head's hreflang alternates and the header's
language switch (and the log-in link, which goes back to the same page).

Every page renders them, and as a Jinja loop they cost a page some thirty calls through the
template's context (the loop, config.LANGUAGES, labels.LANGUAGE_ENDONYMS[code], the escapes), and
three url_for builds whose `next=` differs on every page, so the process's URL memo seldom holds
them. Here the loop is a join, and a switch or log-in address is its rule's fixed path (url_for
without `next`, the same for every page) with the query appended as url_for encodes it, when the
rule is plain (i18n.plain_rule_arguments); otherwise url_for builds it. The text is the template's
byte for byte (tests/web/test_language_links.py keeps the old template as its reference).
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app
from flask.globals import _cv_app, _cv_request
from markupsafe import Markup

from .i18n import (QUERY_SAFE, here_without_language, language, page_address, plain_rule_arguments, query_text,
                   url_in_language)
from .labels import LANGUAGE_ENDONYMS
from .template_escape import escape

ALTERNATES_JOIN = "\n  "  # base.html writes each <link> on its own line, indented by two
SWITCH_JOIN = "\n          "  # and each switch item by ten


def alternate_links() -> Markup:
    """The page's <link rel="alternate" hreflang> in each language, one a line. When the page's rule
    is plain and no query name is a path part, each address is the page's own with its query, where
    ?lang=CODE stands in the place lang= has in it (else last): what url_in_language gives, with the
    query encoded and escaped once for the three (a search page's words), not once per language."""
    languages = current_app.config["LANGUAGES"]
    address, names, query = page_address(_cv_request.get().request)
    if (address is not None and names.isdisjoint(query) and "lang" not in names
            and all(code.isalpha() and code.isascii() for code in languages)):
        keys = list(query)
        at = keys.index("lang") if "lang" in query else len(keys)
        before = query_text({name: query[name] for name in keys[:at]})
        after = query_text({name: query[name] for name in keys[at + 1:]})
        head = str(escape(address + "?" + (before + "&" if before else "") + "lang="))
        tail = str(escape("&" + after)) if after else ""
        return Markup(ALTERNATES_JOIN.join(
            [f'<link rel="alternate" hreflang="{code}" href="{head}{code}{tail}">' for code in languages]))
    return Markup(ALTERNATES_JOIN.join(
        f'<link rel="alternate" hreflang="{escape(code)}" href="{escape(url_in_language(code))}">'
        for code in languages))


def language_switch() -> Markup:
    """The switch's <li> items: the current language as text, the others as links back to this page:
    each its item's fixed text (switch_items) around the page's escaped ?next= query."""
    app_context = _cv_app.get()
    current, here = language(), here_without_language()
    items = _switch_items(app_context, current)
    if items is not None:
        query = _next_query(app_context, here)[2]
        return Markup(SWITCH_JOIN.join([before if after is None else before + query + after
                                        for before, after in items]))
    items = []
    for code in current_app.config["LANGUAGES"]:
        code_text, label = escape(code), escape(LANGUAGE_ENDONYMS[code])
        if code == current:
            items.append(f'<li><span aria-current="true" lang="{code_text}">{label}</span></li>')
        else:
            href = escape(url_with_next("i18n.switch", here, code=code))
            items.append(f'<li><a href="{href}" lang="{code_text}" hreflang="{code_text}">{label}</a></li>')
    return Markup(SWITCH_JOIN.join(items))


def login_href() -> str:
    """url_for('auth.login', next=here_without_language()), the header's log-in link."""
    return url_with_next("auth.login", here_without_language())


def url_with_next(endpoint: str, here: str, **values) -> str:
    """url_for(ENDPOINT, **VALUES, next=HERE): the fixed part kept by the app's URL memo, the
    query appended as werkzeug encodes it (its _urlencode: urlencode with QUERY_SAFE), encoded
    once a request (a page asks three times with the same HERE: the log-in link and the switch's two)."""
    app_context = _cv_app.get()
    build = app_context.app.url_for
    names = plain_rule_arguments(endpoint)
    if names is None or "next" in names or not names.issuperset(values):
        return build(endpoint, **values, next=here)
    return build(endpoint, **values) + _next_query(app_context, here)[1]


def _next_query(app_context, here: str) -> tuple[str, str, str]:
    """(HERE, its ?next= query, the query escaped), kept in g for the request's HERE."""
    kept = app_context.g.__dict__
    query = kept.get(_NEXT_QUERY)
    if query is None or query[0] != here:
        text = "?" + urlencode({"next": here}, safe=QUERY_SAFE)
        query = kept[_NEXT_QUERY] = (here, text, str(escape(text)))
    return query


_NEXT_QUERY = "_next_query"  # in g: (here, its ?next= query, escaped)
SWITCH_KEY = "ideapankki.language_switch"  # app.extensions: {(the adapter's address, current language): items}
SWITCH_KEPT = 64


def _switch_items(app_context, current: str) -> tuple | None:
    """The switch's items for a page in CURRENT under this request's adapter: per language (the text
    before its ?next= query, the text after), the current one (its whole text, None); built once per
    app (kept in its extensions), address and language from url_with_next's fixed part. None when that part is not fixed
    (the rule is not plain: url_with_next builds each address with url_for)."""
    adapter = _cv_request.get().url_adapter
    if adapter is None:
        return None
    app = app_context.app
    kept = app.extensions.get(SWITCH_KEY)
    if kept is None:
        kept = app.extensions[SWITCH_KEY] = {}
    key = (adapter.script_name, adapter.url_scheme, adapter.server_name, adapter.subdomain, current)
    found = kept.get(key, False)
    if found is False:
        found = _build_switch(app, current)
        if len(kept) >= SWITCH_KEPT:
            kept.clear()
        kept[key] = found
    return found


def _build_switch(app, current: str) -> tuple | None:
    names = plain_rule_arguments("i18n.switch")
    if names is None or "next" in names or not names.issuperset(("code",)):
        return None
    items = []
    for code in app.config["LANGUAGES"]:
        code_text, label = escape(code), escape(LANGUAGE_ENDONYMS[code])
        if code == current:
            items.append((f'<li><span aria-current="true" lang="{code_text}">{label}</span></li>', None))
        else:
            items.append((f'<li><a href="{escape(app.url_for("i18n.switch", code=code))}',
                          f'" lang="{code_text}" hreflang="{code_text}">{label}</a></li>'))
    return tuple(items)
