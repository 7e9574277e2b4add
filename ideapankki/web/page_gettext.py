"""The templates' `_`, `ngettext`, `current_locale()` and labels bound to the request's language once per page.

Flask-Babel's template callables look the locale and its catalogue up through Flask's context
locals on every call: 40–90 translated strings and a dozen `current_locale()` per page, each some
ten context-local lookups, were a tenth of an entry page. A context processor hands each
rendered page the same callables bound to its locale's catalogue (built once per locale and
app: they depend only on the code's catalogues). Jinja's i18n extension resolves `_` to
`gettext` from the page's context, so pages and what they include or import with context use
these; a macro imported without context keeps Flask-Babel's, which give the same text.
The label tables (web/labels.py: types, themes, statuses…) are lazy strings that translated
themselves at each use, and municipality_name() asked for the locale at each call; each
page gets them already in its language (Markup, as a lazy string is output unescaped).
"""

from __future__ import annotations

from types import SimpleNamespace

import flask_babel
from flask import Flask
from flask.globals import _cv_app
from flask_babel import get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from markupsafe import Markup

from . import labels
from .i18n import language

KEY = "ideapankki.page_gettext"
TRANSLATIONS_KEPT = 4096


def _newstyle_gettext(translate):
    """jinja2.ext's newstyle gettext around TRANSLATE: autoescaped, always %-formatted; a string
    without variables is translated and formatted once per locale (its catalogue does not change).
    Given the evaluation context, not the whole context as jinja2.ext's: autoescaping is all it
    reads, and Jinja copies a page's whole context for a pass_context call inside a block or loop."""
    done: dict = {}

    @pass_eval_context
    def gettext(__eval_ctx, __string, **variables):
        if not variables:
            key = (__string, __eval_ctx.autoescape)
            found = done.get(key)
            if found is None:
                if len(done) >= TRANSLATIONS_KEPT:  # strings that are not msgids: never a growing dict
                    done.clear()
                rv = translate(__string)
                found = done[key] = (Markup(rv) if key[1] else rv) % variables
            return found
        rv = translate(__string)
        if __eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    return gettext


def _newstyle_ngettext(translate):
    """jinja2.ext's newstyle ngettext around TRANSLATE (`num` defaults to the count)."""

    @pass_eval_context
    def ngettext(__eval_ctx, __singular, __plural, __num, **variables):
        variables.setdefault("num", __num)
        rv = translate(__singular, __plural, __num)
        if __eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    return ngettext


def _callables(cache: dict) -> dict:
    locale = language()
    found = cache.get(locale)
    if found is None:
        translations = get_translations()
        gettext = _newstyle_gettext(translations.ugettext)
        found = cache[locale] = {
            "gettext": gettext,
            "_": gettext,  # not jinja2.ext's alias, which looks `gettext` up and calls it: one call, not two
            "ngettext": _newstyle_ngettext(translations.ungettext),
            "translate": translations.ugettext,  # for gettext() below, not a template name
            "current_locale": lambda: locale,
            "labels": _labels(),
            "municipality_name": lambda m: m.name_sv if locale == "sv" else m.name_fi,
            "region_name": lambda name_fi, name_sv: name_sv if locale == "sv" else name_fi,
        }
    return found


def gettext(string: str, **variables) -> str:
    """flask_babel.gettext for code that runs as a page renders (the citation, the feed link): the
    same text, from the catalogue kept here per language, without Flask-Babel's context lookups
    (some 15 µs a call)."""
    app_context = _cv_app.get(None)
    cache = app_context.app.extensions.get(KEY) if app_context is not None else None
    if cache is None:
        return flask_babel.gettext(string, **variables)
    text = _callables(cache)["translate"](string)
    return text % variables if variables else text


def _labels() -> SimpleNamespace:
    """web/labels.py with every table of lazy strings translated into this request's language."""
    found = {}
    for name in dir(labels):
        value = getattr(labels, name)
        if isinstance(value, dict) and any(isinstance(v, LazyString) for v in value.values()):
            value = {k: Markup(str(v)) if isinstance(v, LazyString) else v for k, v in value.items()}
        found[name] = value
    return SimpleNamespace(**found)


def init_app(app: Flask) -> None:
    cache = app.extensions[KEY] = {}
    app.context_processor(lambda: _callables(cache))
