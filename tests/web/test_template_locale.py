"""Templates compiled per language (ideapankki.web.template_locale): the same text as translating at render time."""

import pytest
from flask import Flask, render_template
from flask_babel import Babel, force_locale
from jinja2 import DictLoader

from ideapankki.config import LANGUAGES, TRANSLATIONS_DIR
from ideapankki.web import page_gettext, template_locale
from ideapankki.web.template_cache import ProcessTemplateCache

TEMPLATES = {
    "page.html": ('<html lang="{{ current_locale() }}"><title>{{ _("Search") }}</title>\n'
                  '{% include "part.html" %}\n{% from "macros.html" import box %}{{ box() }}\n'
                  '{{ _("%(count)s entries", count="<b>") }}|{{ _("100%% sure") }}|{{ gettext("Log in") }}\n'
                  '{% set label = _("Search") %}{{ label ~ "<x>" }}|{{ [_("Search"), "<y>"]|join }}\n'),
    "part.html": '<p lang="{{ current_locale() }}">{{ _("Log in") }} & {{ _("Register") }}</p>',
    "macros.html": '{% macro box() %}<b>{{ _("Statistics") }}</b>{% endmacro %}',
    "shadowed.html": '{% set _ = "x".upper %}{{ _() }}{% macro m(current_locale) %}{{ current_locale() }}{% endmacro %}'
                     '{{ m(_) }}|{{ current_locale() }}',
    "mail.txt": '{{ _("Search") }} <{{ current_locale() }}> {{ _("%(name)s & co", name="<a>") }}',
}


def make_app(per_language: bool) -> Flask:
    app = Flask(__name__)
    if per_language:
        app.jinja_environment = template_locale.LocaleEnvironment
    app.config.update(LANGUAGES=LANGUAGES, BABEL_DEFAULT_LOCALE="fi", BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS_DIR))
    Babel(app, locale_selector=lambda: app.config["CHOSEN"])
    page_gettext.init_app(app)
    app.jinja_env.loader = DictLoader(TEMPLATES)
    app.jinja_env.bytecode_cache = ProcessTemplateCache()
    template_locale.init_app(app)
    return app


def render(app: Flask, language: str, name: str) -> str:
    app.config["CHOSEN"] = language
    with app.test_request_context("/"):
        return render_template(name)


@pytest.mark.parametrize("name", ["page.html", "shadowed.html", "mail.txt"])
def test_the_same_text_as_translating_at_render_time(name):
    folded, plain = make_app(True), make_app(False)
    for language in (*LANGUAGES, "fi"):  # back to Finnish: each language keeps its own compiled template
        assert render(folded, language, name) == render(plain, language, name)
    assert render(folded, "sv", "page.html").startswith('<html lang="sv"><title>Sök</title>')


def test_fixed_texts_are_constants_in_the_compiled_code():
    app = make_app(True)
    app.config["CHOSEN"] = "sv"
    with app.test_request_context("/"):
        template = app.jinja_env.get_template("page.html")
        source, filename, _uptodate = app.jinja_env.loader.get_source(app.jinja_env, template.name)
        code = app.jinja_env.compile(source, template.name, filename, raw=True)
    assert template.name == "sv:page.html"
    assert "'<html lang=\"sv\"><title>Sök</title>" in code
    assert "resolve('_')" not in code and "resolve('current_locale')" not in code
    assert "resolve('gettext')" not in code


def test_names_the_template_assigns_are_left_to_render_time():
    app = make_app(True)
    app.config["CHOSEN"] = "fi"
    with app.test_request_context("/"):
        source, filename, _uptodate = app.jinja_env.loader.get_source(app.jinja_env, "fi:shadowed.html")
        code = app.jinja_env.compile(source, "fi:shadowed.html", filename, raw=True)
    assert "resolve('current_locale')" in code or "l_1_current_locale" in code


def test_a_forced_language_and_no_language():
    app = make_app(True)
    app.config["CHOSEN"] = "fi"
    with app.test_request_context("/"):
        with force_locale("en"):
            assert render_template("mail.txt") == "Search <en> <a> & co"
    with app.app_context():  # no request: the selector is not asked for a language here
        app.config["CHOSEN"] = "sv"
        assert render_template("mail.txt").startswith("Sök <sv>")
