"""What the request machinery relies on inside Flask, Werkzeug, Jinja, MarkupSafe, Flask-Babel and
Flask-Login beyond their documented interfaces, checked in one place.

Each was taken for speed (a page asks for the request, the locale and the user dozens of times) and
is covered by the page tests, but an upgrade that moved one would show there as pages quietly
differing. Here it fails first, naming the module of ours that relies on it, so the upgrade can
adapt that module (or drop the shortcut). Whoosh's private names have their own check
(tests/search/test_whoosh_private.py).
"""

from __future__ import annotations

import inspect
from contextvars import ContextVar

import flask
import flask_babel
import flask_login
import jinja2
import markupsafe
import pytest
import werkzeug.routing
import werkzeug.wsgi
from babel import Locale


def _parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def relied_on(module: str, what: str, holds: bool) -> None:
    assert holds, f"{module} relies on {what}, which this version no longer gives: adapt {module}"


def test_flask_context_variables():
    from flask.globals import _cv_app, _cv_request

    users = ("web/i18n.py, web/page_gettext.py, web/extensions.py, web/serving/access_log.py, "
             "web/serving/http_cache.py, web/serving/public_url.py")
    relied_on(users, "flask.globals._cv_request and _cv_app as ContextVars",
              isinstance(_cv_request, ContextVar) and isinstance(_cv_app, ContextVar))
    app = flask.Flask(__name__)
    app.secret_key = "x" * 32
    with app.test_request_context("/a?b=c"):
        context = _cv_request.get()
        relied_on(users, "the request context's .request and .session",
                  context.request is flask.request._get_current_object()
                  and context.session is flask.session._get_current_object())
        relied_on(users, "the app context's .g and .app",
                  _cv_app.get().g is flask.g._get_current_object() and _cv_app.get().app is app)


def test_flask_app_hooks():
    relied_on("web/serving/public_url.py", "Flask.create_url_adapter(self, request) and Flask.ensure_sync(self, func)",
              _parameters(flask.Flask.create_url_adapter) == ["self", "request"]
              and _parameters(flask.Flask.ensure_sync) == ["self", "func"])


def test_werkzeug_map_adapter_and_host():
    relied_on("web/serving/public_url.py",
              "MapAdapter(map, server_name, script_name, subdomain, url_scheme, path_info, default_method, query_args)",
              _parameters(werkzeug.routing.MapAdapter.__init__)[:9] == [
                  "self", "map", "server_name", "script_name", "subdomain", "url_scheme", "path_info",
                  "default_method", "query_args"])
    relied_on("web/serving/public_url.py", "werkzeug.wsgi.get_host(environ, trusted_hosts)",
              _parameters(werkzeug.wsgi.get_host) == ["environ", "trusted_hosts"])


def test_jinja_code_generation_hooks():
    from ideapankki.web.template_locale import RUNTIME_IMPORTS

    relied_on("web/template_locale.py", "Environment._generate(source, name, filename, defer_init) and "
              "Environment._parse(source, name, filename)",
              _parameters(jinja2.Environment._generate) == ["self", "source", "name", "filename", "defer_init"]
              and _parameters(jinja2.Environment._parse) == ["self", "source", "name", "filename"])
    environment = jinja2.Environment(autoescape=True)
    code = environment._generate(environment._parse("{{ x }}", "t", "t.html"), "t", "t.html")
    relied_on("web/template_locale.py", f"generated code whose first line starts {RUNTIME_IMPORTS!r} and "
              "whose templates call `escape`", code.startswith(RUNTIME_IMPORTS) and "yield escape(" in code)


def test_markupsafe_inner_escape():
    from markupsafe import _escape_inner

    relied_on("web/template_escape.py", "markupsafe._escape_inner(str) -> str, escaping as escape() does",
              _escape_inner("<a href='x'>&\"</a>") == str(markupsafe.escape("<a href='x'>&\"</a>")))


def test_flask_babel_keeps_the_locale_in_g():
    app = flask.Flask(__name__)
    babel = flask_babel.Babel(app, locale_selector=lambda: "sv")
    with app.test_request_context("/"):
        locale = flask_babel.get_locale()
        relied_on("web/i18n.py", "Flask-Babel keeping the request's locale in g._flask_babel.babel_locale",
                  getattr(flask.g.__dict__.get("_flask_babel"), "babel_locale", None) is locale == Locale("sv"))
        state = app.extensions["babel"]
        relied_on("web/i18n.py", 'app.extensions["babel"].locale_selector and .instance.default_locale',
                  state.locale_selector() == "sv" and state.instance is babel and babel.default_locale == Locale("en"))


@pytest.mark.parametrize("name, parameters", [
    ("_load_user", ["self"]),
    ("_update_remember_cookie", ["self", "response"]),
    ("_session_protection_failed", ["self"]),
    ("_update_request_context_with_user", ["self", "user"]),
])
def test_flask_login_private_methods(name, parameters):
    method = getattr(flask_login.LoginManager, name, None)
    relied_on("web/extensions.py", f"LoginManager.{name}({', '.join(parameters[1:])})",
              method is not None and _parameters(method) == parameters)


def test_flask_login_private_state():
    manager = flask_login.LoginManager()
    relied_on("web/extensions.py", "LoginManager's _user_callback, _request_callback, _header_callback, "
              "flask_login.config.COOKIE_NAME and the user_accessed signal",
              all(hasattr(manager, name) for name in ("_user_callback", "_request_callback", "_header_callback"))
              and flask_login.config.COOKIE_NAME == "remember_token" and hasattr(flask_login, "user_accessed"))
