"""App.url_for keeps the URLs it built: the same URL as Flask's for every mount point, public URL and value;
App's URL adapter is Flask's with the public URL's scheme and host."""

import pytest
from flask import Flask


def _flask_url(app, endpoint, **values):
    return Flask.url_for(app, endpoint, **values)


def test_kept_urls_follow_the_mount_point_and_the_public_url(module_app):
    app = module_app
    configured = app.config["PUBLIC_URL"]
    try:
        for script_name, public in (("", "http://localhost"), ("/pankki", "http://localhost"),
                                    ("", "https://ideapankki.example"), ("/pankki", "https://ideapankki.example")):
            app.config["PUBLIC_URL"] = public
            with app.test_request_context("/", base_url=f"http://localhost{script_name}/"):
                for _ in range(2):  # built, then kept
                    assert app.url_for("public.front") == _flask_url(app, "public.front") == f"{script_name}/"
                    assert app.url_for("public.entry", slug="a", _external=True) == f"{public}{script_name}/entries/a"
                    assert app.url_for("static", filename="s.css") == _flask_url(app, "static", filename="s.css")
    finally:
        app.config["PUBLIC_URL"] = configured


def test_values_of_other_types_and_orders_are_not_confused(module_app):
    app = module_app
    with app.test_request_context("/"):
        assert app.url_for("public.entries", page=1) == "/entries?page=1"
        assert app.url_for("public.entries", page=True) == _flask_url(app, "public.entries", page=True)
        assert app.url_for("public.entries", type="idea", page=2) == "/entries?type=idea&page=2"
        assert app.url_for("public.entries", page=2, type="idea") == "/entries?page=2&type=idea"
        assert app.url_for("public.entries", type=None) == "/entries"
        assert app.url_for("public.entries", type=["idea", "norm"]) == "/entries?type=idea&type=norm"
        assert app.url_for("public.entry", slug="a", _anchor="x") == "/entries/a#x"


def test_url_in_language_is_what_url_for_builds(module_app):
    """A page's address in each language is its own address with the query url_for would encode."""
    from flask import request

    from ideapankki.web.i18n import url_in_language

    app = module_app
    paths = ("/", "/entries/a-b", "/entries?q=ä ö&x=1&page=2", "/entries?lang=sv&type=idea",
             "/entries?type=idea&type=norm", "/entries/x?next=/a?b=c&d=%2F&e=+&f='()*!", "/search?q=",
             "/themes/asuminen?lang=en", "/no/such/page?a=1")
    for path in paths:
        with app.test_request_context(path):
            for code in ("fi", "sv", "en"):
                args = {**request.args.to_dict(), "lang": code}
                expected = Flask.url_for(app, request.endpoint or "public.front", **(request.view_args or {}),
                                         **args, _external=True)
                assert url_in_language(code) == expected, path


@pytest.mark.parametrize("path, options", [
    ("/entries/x", {}),
    ("/entries/x", {"query_string": "lang=sv&q=%C3%A4%00", "method": "HEAD"}),
    ("/täällä/ö", {"base_url": "http://site.example:8080/mount/ä"}),
    ("/", {"headers": {"Connection": "keep-alive, Upgrade", "Upgrade": "websocket"}}),
])
def test_the_url_adapter_is_flasks_with_the_public_scheme_and_host(path, options):
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    from ideapankki.web.serving.public_url import App, _scheme_and_host

    app = App(__name__)
    app.config.update(PUBLIC_URL="https://Public.Example:8443", TRUSTED_HOSTS=["site.example", "localhost"])
    app.add_url_rule("/entries/<slug>", "entry", lambda slug: slug)
    options = {"base_url": "http://localhost", **options}
    fast = app.create_url_adapter(Request(EnvironBuilder(path=path, **options).get_environ()))
    reference = Flask.create_url_adapter(app, Request(EnvironBuilder(path=path, **options).get_environ()))
    reference.url_scheme, reference.server_name = _scheme_and_host(app.config["PUBLIC_URL"])
    assert vars(fast) == vars(reference)
    with pytest.raises(Exception) as refused:
        app.create_url_adapter(Request(EnvironBuilder(path=path, base_url="http://elsewhere.example").get_environ()))
    assert refused.value.code == 400
