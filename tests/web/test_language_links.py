"""base.html's language links written in Python (web/language_links.py) give the text the old
template gave, byte for byte: the old template's lines are kept here as the reference."""

import pytest
from flask import render_template_string

from ideapankki.web.i18n import url_with_query
from ideapankki.web.language_links import alternate_links, language_switch, login_href, url_with_next

# base.html before language_links.py, with the lines around each block as they were.
REFERENCE = """  {% block feeds %}{% endblock %}
  {% for code in config.LANGUAGES %}
  <link rel="alternate" hreflang="{{ code }}" href="{{ url_in_language(code) }}">
  {% endfor %}
</head>
          <li><a href="{{ url_for('auth.login', next=here_without_language()) }}">{{ _("Log in") }}</a></li>
        <ul>
        {% for code in config.LANGUAGES %}
          <li>{% if code == current_locale() %}<span aria-current="true" lang="{{ code }}">{{ labels.LANGUAGE_ENDONYMS[code] }}</span>{% else %}<a href="{{ url_for('i18n.switch', code=code, next=here_without_language()) }}" lang="{{ code }}" hreflang="{{ code }}">{{ labels.LANGUAGE_ENDONYMS[code] }}</a>{% endif %}</li>
        {% endfor %}
        </ul>
"""
CURRENT = """  {% block feeds %}{% endblock %}
  {{ alternate_links() }}
</head>
          <li><a href="{{ login_href() }}">{{ _("Log in") }}</a></li>
        <ul>
          {{ language_switch() }}
        </ul>
"""
PATHS = ("/", "/entries/a-b", "/entries?q=ä ö&x=1&page=2", "/entries?lang=sv&type=idea",
         "/entries?type=idea&type=norm", "/entries/x?next=/a?b=c&d=%2F&e=+&f='()*!<>\"", "/search?q=",
         "/search?q=%26%3Cb%3E%22&lang=en&lang=sv", "/search?q=a+b%2F&lang=sv&type=idea&page=2", "/themes/asuminen?lang=en&slug=x", "/no/such/page?a=1",
         "/entries/%C3%A4?x=%E2%82%AC#frag", "/stats?lang=xx")


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("cookie", [None, "sv", "en"])
def test_the_links_are_the_old_templates_text(module_app, path, cookie):
    headers = {"Cookie": f"lang={cookie}"} if cookie else {}
    with module_app.test_request_context(path, headers=headers):
        assert render_template_string(CURRENT) == render_template_string(REFERENCE)


def test_the_links_under_a_mount_point(module_app):
    with module_app.test_request_context("/entries/x?lang=sv&q=a b", base_url="http://localhost/pankki/"):
        assert render_template_string(CURRENT) == render_template_string(REFERENCE)
        assert login_href() == "/pankki/login?next=/entries/x?q%3Da%2Bb"


def test_a_rule_that_is_not_plain_is_built_by_url_for(module_app):
    """A value that is not a path part of the rule goes to url_for with `next` (its query order)."""
    with module_app.test_request_context("/"):
        assert url_with_next("public.entries", "/x", type="idea") == module_app.url_for(
            "public.entries", type="idea", next="/x")
        assert url_with_next("i18n.switch", "/a?b=c&d", code="sv") == module_app.url_for(
            "i18n.switch", code="sv", next="/a?b=c&d")
        assert str(alternate_links()).count("<link") == len(module_app.config["LANGUAGES"])
        assert str(language_switch()).count("<li>") == len(module_app.config["LANGUAGES"])


def test_the_kept_rule_parts_follow_the_url_map():
    """i18n.plain_rule_arguments reads the URL map as it is now: a rule added later counts."""
    from flask import Flask

    from ideapankki.web.i18n import plain_rule_arguments

    app = Flask(__name__)
    view = lambda x="": x  # noqa: E731
    app.add_url_rule("/a/<x>", "a", view)
    with app.test_request_context("/"):
        assert (plain_rule_arguments("a"), plain_rule_arguments("b"), plain_rule_arguments("a")) == (
            frozenset({"x"}), None, frozenset({"x"}))
    app.add_url_rule("/b", "b", view)
    app.add_url_rule("/a", "a", view, defaults={"x": "1"})  # a second rule: url_for must choose
    with app.test_request_context("/"):
        assert (plain_rule_arguments("a"), plain_rule_arguments("b")) == (None, frozenset())


def test_requests_sharing_an_app_context_get_their_own_links(module_app):
    """What a request keeps in g (its address, query and ?next=) is its own: g outlives a request
    when a test (or a script) holds the app context open around several."""
    with module_app.app_context():
        for path in ("/entries/a-b?type=idea", "/themes/asuminen", "/entries?page=2&lang=sv"):
            with module_app.test_request_context(path):
                assert render_template_string(CURRENT) == render_template_string(REFERENCE)
                assert login_href() == module_app.url_for("auth.login", next=path.replace("&lang=sv", ""))


@pytest.mark.parametrize("endpoint, args, values", [
    ("api.search", {"q": "ä ö&<>\"'()*!/?", "lang": "sv", "type": "idea"}, {}),
    ("feeds.search", {"q": "a+b %2F", "lang": "en"}, {}),
    ("follow.subscribe", {"kind": "search", "value": "q=a+b&type=idea"}, {}),
    ("api.search", {}, {}),
    ("public.entry", {"q": "x y"}, {"slug": "ä-b"}),
    ("api.search", {"q": "a", "_anchor": "here"}, {}),  # url_for's own name: url_for builds it
    ("public.entries", {"q": "a"}, {"type": "idea"}),  # not a path part: url_for builds it
])
@pytest.mark.parametrize("base_url", ["http://localhost/", "http://localhost/pankki/"])
def test_url_with_query_is_url_for(module_app, endpoint, args, values, base_url):
    with module_app.test_request_context("/search?q=a", base_url=base_url):
        assert url_with_query(endpoint, args, **values) == module_app.url_for(endpoint, **values, **args)
