"""slug_links.linker builds the URL url_for builds, for plain values from the URL's parts and for any
other value through url_for itself."""

import pytest
from flask import url_for

from ideapankki.web.slug_links import linker

VALUES = ["kokeilu-1", "687", "practice", "Iso Kirjain", "ä-ö", "a/b", "x&y=z", "0placeholder0", "", "a b"]
LINKS = [("public.entry", "slug"), ("public.municipality", "code"), ("public.theme", "slug"),
         ("public.entries", "type"), ("public.entries", "trial_status"), ("history.versions", "slug")]


@pytest.mark.sqlite_only("no database is read")
@pytest.mark.parametrize("external", [False, True])
def test_every_link_is_what_url_for_builds(module_app, external):
    for path in ("/", "/entries/x?lang=sv"):
        with module_app.test_request_context(path, base_url="http://localhost/mount"):
            href = linker()
            for endpoint, name in LINKS:
                for value in VALUES:
                    if not value and endpoint != "public.entries":
                        continue  # an empty path part: url_for refuses it either way
                    assert href(endpoint, name, value, external) == url_for(endpoint, **{name: value},
                                                                            _external=external)


@pytest.mark.sqlite_only("no database is read")
def test_fixed_values_come_first_as_url_for_is_given_them(module_app):
    """FIXED values are part of the kept parts' key, and come before NAME in the query (the follow link)."""
    with module_app.test_request_context("/entries/x", base_url="http://localhost/mount"):
        href = linker()
        for value in VALUES:
            if not value:
                continue
            for kind in ("entry", "theme"):
                assert href("follow.subscribe", "value", value, kind=kind) == url_for(
                    "follow.subscribe", kind=kind, value=value)
            for fixed in ({}, {"lang": "sv"}, {"lang": "en"}):
                assert href("adoption_feed.entry_feed", "slug", value, **fixed) == url_for(
                    "adoption_feed.entry_feed", slug=value, **fixed)
        assert href("follow.subscribe", "value", "k-1", kind="entry").endswith("?kind=entry&value=k-1")


@pytest.mark.sqlite_only("no database is read")
def test_the_adoption_partials_links_are_what_url_for_builds(module_app):
    """entry_url and entry_login_url (templates/public/_adoptions.html) against the url_for calls they replace."""
    from ideapankki.web.views.entry_html import entry_login_url, entry_url

    for path in ("/entries/x", "/entries/x?lang=sv&next=/y"):
        with module_app.test_request_context(path, base_url="http://localhost/mount"):
            for value in VALUES:
                if not value:
                    continue
                for endpoint in ("adoption_feed.entry_feed", "adoptions.adopters"):
                    assert entry_url(endpoint, value) == url_for(endpoint, slug=value)
                assert entry_login_url(value) == url_for("auth.login", next=url_for("public.entry", slug=value))


@pytest.mark.sqlite_only("no database is read")
def test_a_request_makes_its_linker_once_and_each_request_its_own(module_app):
    """One linker per request context (a page asks some eight times), built from that request's adapter."""
    with module_app.test_request_context("/entries/x", base_url="http://localhost/mount"):
        href = linker()
        assert linker() is href and href("public.entry", "slug", "k-1") == "/mount/entries/k-1"
    with module_app.test_request_context("/entries/x", base_url="http://localhost/other"):
        assert linker() is not href and linker()("public.entry", "slug", "k-1") == "/other/entries/k-1"
