"""The per-request shortcuts give Flask's and Flask-Login's answers: the NUL check read from the WSGI
strings, App.update_template_context, the templates' get_flashed_messages and current_reader."""

import flask
import pytest
from flask import Flask, flash, session
from flask_login import current_user
from werkzeug.exceptions import BadRequest

from ideapankki.web import params, templating
from ideapankki.web.extensions import current_reader

from clients import sign_in


def _full_check(request) -> bool:
    """The NUL check as it was: the decoded path and every parsed argument."""
    return "\x00" in request.path or any("\x00" in key or "\x00" in value
                                         for key, value in request.args.items(multi=True))


@pytest.mark.parametrize("path, query", [
    ("/entries/a", ""), ("/entries/a", "lang=sv"), ("/entries/a", "q=%00"), ("/entries/a", "%00=x"),
    ("/entries/a", "q=a%2500"), ("/entries/a", "q=%C3%A4%00b"), ("/entries/a", "q=%c0%80"), ("/entries/a", "q=a+b%0"),
    ("/entries/a\x00b", ""), ("/entries/%00", ""), ("/entries/a", "q=\x00"), ("/", "lang=fi&page=%000"),
])
def test_the_nul_check_refuses_what_the_full_check_refuses(module_app, path, query):
    with module_app.test_request_context(path, environ_overrides={"QUERY_STRING": query}) as context:
        refused = _full_check(context.request)
        try:
            params.refuse_nul()
        except BadRequest:
            assert refused
        else:
            assert not refused


def test_the_template_context_is_flasks(app, client, member):
    for signed_in in (False, True):
        if signed_in:
            sign_in(client)
        cookie = client.get_cookie("session")
        headers = {"Cookie": f"session={cookie.value}"} if cookie else {}
        for path in ("/entries/a", "/", "/admin/users"):
            with app.test_request_context(path, headers=headers):
                ours, flasks = {"given": 1, "g": "mine"}, {"given": 1, "g": "mine"}
                app.update_template_context(ours)
                Flask.update_template_context(app, flasks)
                assert list(ours) == list(flasks) and ours == flasks
                assert ours["current_user"] is current_user._get_current_object()
                assert ours["current_user"].is_authenticated is signed_in
    with app.app_context():  # no request: the site's processors need one, in either
        for update in (app.update_template_context, lambda context: Flask.update_template_context(app, context)):
            with pytest.raises(RuntimeError):
                update({})


def test_current_reader_is_current_users_object(app):
    with app.test_request_context("/"):
        assert current_reader() is current_user._get_current_object()
        assert current_reader() is current_user._get_current_object()  # loaded, then read from g
    with app.app_context():
        assert current_reader() is None


@pytest.mark.parametrize("messages", [[], ["one"], ["one", "two"]])
def test_flashed_messages_are_flasks(app, messages):
    for ours_first in (True, False):
        with app.test_request_context("/"):
            for text in messages:
                flash(text)
            flash("warned", "warning") if messages else None
            first, second = ((templating.get_flashed_messages, flask.get_flashed_messages) if ours_first
                             else (flask.get_flashed_messages, templating.get_flashed_messages))
            expected = messages + (["warned"] if messages else [])
            assert first() == expected and second() == expected  # the request keeps what it took
            assert "_flashes" not in session
            assert templating.get_flashed_messages(with_categories=True) == flask.get_flashed_messages(True)
            assert templating.get_flashed_messages(category_filter=["warning"]) == (["warned"] if messages else [])
