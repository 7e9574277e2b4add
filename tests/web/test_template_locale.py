"""Templates compiled per language (ideapankki.web.template_locale): the same text as translating at render time."""

import ast
from pathlib import Path

import pytest
from flask import Flask, render_template, request
from flask_babel import Babel, force_locale
from jinja2 import DictLoader

import ideapankki
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


HELPERS = {
    "here.html": '{{ here_without_language() }}|{{ finlex_url("916/2012") }}|{{ url_with(page=2) }}',
    "shadow.html": '{% for finlex_url in [here_without_language] %}{{ finlex_url() }}{% endfor %}',
}


def test_the_sites_helpers_are_called_directly_and_at_every_render():
    """A folded helper is called where the template calls it, with its arguments, at render time (never
    while compiling: here_without_language() answered for the first request's path would stay)."""
    calls = []

    def here_without_language():
        calls.append("here")
        return request.path

    app = make_app(True)
    app.jinja_env.loader = DictLoader({**TEMPLATES, **HELPERS})
    app.jinja_env.globals.update(here_without_language=here_without_language, finlex_url=lambda n: f"<{n}>",
                                 url_with=lambda **changes: f"?{changes}")
    template_locale.init_app(app)
    app.config["CHOSEN"] = "fi"
    pages = []
    for path in ("/a", "/b"):
        with app.test_request_context(path):
            pages.append(render_template("here.html"))
        with app.test_request_context(path):
            pages.append(render_template("shadow.html"))  # a name the template binds is its own
    assert pages == ["/a|&lt;916/2012&gt;|?{&#39;page&#39;: 2}", "/a", "/b|&lt;916/2012&gt;|?{&#39;page&#39;: 2}", "/b"]
    assert calls == ["here"] * 4
    with app.test_request_context("/"):
        source, filename, _uptodate = app.jinja_env.loader.get_source(app.jinja_env, "fi:here.html")
        code = app.jinja_env.compile(source, "fi:here.html", filename, raw=True)
    assert "context.call" not in code


def test_no_context_processor_or_view_gives_a_folded_helper_another_meaning(app):
    """The folded names are the globals': a value a context processor or a view passes under the same
    name would be ignored by the compiled call."""
    with app.test_request_context("/"):
        context = {}
        app.update_template_context(context)
    assert template_locale.FOLDED_CALLS.isdisjoint(context)
    passed = set()
    for path in Path(ideapankki.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                    "render_template", "render_template_string", "stream_template"):
                passed.update(keyword.arg for keyword in node.keywords if keyword.arg)
    assert passed and template_locale.FOLDED_CALLS.isdisjoint(passed)


def test_the_compiled_code_is_kept_per_catalogue_and_absolute_urls_are_made_per_request():
    """init_app names the catalogues in the compiled-code cache's key; an absolute url_for with fixed
    arguments is built when the page renders (the public URL is read per request), not while compiling."""
    app = make_app(True)
    assert app.jinja_env.catalogue_key == template_locale.catalogue_key(app)
    app.jinja_env.loader = template_locale.LocaleLoader(
        DictLoader({"abs.html": "{{ url_for('page', _external=True) }}|{{ url_for('page') }}"}), LANGUAGES)
    app.add_url_rule("/page", "page", lambda: "")
    app.config["CHOSEN"] = "fi"
    pages = []
    for host in ("one.example", "two.example"):
        with app.test_request_context("/", base_url=f"http://{host}"):
            pages.append(render_template("abs.html"))
    assert pages == ["http://one.example/page|/page", "http://two.example/page|/page"]
