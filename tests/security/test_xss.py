"""More than 400 XSS payloads in every user-supplied field render inert on every page that shows them."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlmodel import select

from ideapankki import accounts, workflow
from ideapankki.content import EntryDocument
from ideapankki.entries import resolve_references, save_document
from ideapankki.revisions import save_edit
from ideapankki.models import Entry, EntryState, Role
from ideapankki.reference import MunicipalityIndex
from ideapankki.web.index import SEARCH_KEY

from clients import sign_in

PAYLOADS = [line for line in (Path(__file__).parent / "xss_payloads.txt").read_text(encoding="utf-8").splitlines()
            if line.strip()]
PASSWORD = "kuusi sanaa kulkee kauas"
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "img", "style", "base", "frame", "frameset",
                  "applet", "video", "audio", "source", "xmp", "noscript", "template", "isindex", "keygen",
                  "marquee", "image", "animate", "set", "use", "foreignobject"}


class ActiveMarkup(HTMLParser):
    """Collect what a browser would run or follow: tags, handlers and URL attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if not (attrs.get("src") or "").startswith("/static/"):
                self.problems.append(f"<script {attrs}>")
            return
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in attrs:
            self.problems.append(f"<meta {attrs}>")
        own_icon = attrs.get("rel") == "icon" and (attrs.get("href") or "").startswith("/static/")
        if tag == "link" and attrs.get("rel") not in ("stylesheet", "alternate", "canonical") and not own_icon:
            self.problems.append(f"<link {attrs}>")
        for name, value in attrs.items():
            if name.startswith("on") or name in ("style", "srcdoc", "xlink:href", "background"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            # The site's own buttons post to a place on the same page or site (the entry picker's
            # "#relation-N"); anything else would send the form elsewhere.
            if name == "formaction" and not ((value or "").startswith(("#", "/")) and not value.startswith("//")):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action") and value:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme and scheme not in SAFE_SCHEMES:
                    self.problems.append(f"<{tag} {name}={value!r}>")


def assert_inert(html: str, where: str) -> None:
    parser = ActiveMarkup()
    parser.feed(html)
    parser.close()
    assert parser.problems == [], f"{where}: {parser.problems[:3]}"


@pytest.fixture(scope="module")
def app(module_app):
    """The tests here only read: one app and one world per module (and database kind)."""
    return module_app


@pytest.fixture
def client(world, module_client):
    return module_client


@pytest.fixture(scope="module")
def world(app, module_session):
    """Published entries carrying every payload in every field, and entries in review with payload edits."""
    session = module_session
    org = accounts.find_or_create_organisation(session, "Kajaani")
    author = accounts.add_user(session, email="author@kajaani.fi", role=Role.member, password=PASSWORD,
                               organisation=org, name=PAYLOADS[0][:200])
    moderator = accounts.add_user(session, email="mod@kuntaliitto.fi", role=Role.moderator, password=PASSWORD,
                                  name=PAYLOADS[1][:200])
    index = MunicipalityIndex.from_session(session)
    kinds = ("practice", "idea", "norm")
    for i, payload in enumerate(PAYLOADS):
        kind = kinds[i % 3]
        one_line = " ".join(payload.split())
        doc = EntryDocument(
            slug=f"x{i}", type=kind, title=f"X{i} {one_line}"[:300], summary=payload, body=payload,
            municipalities=["Kajaani"], themes=["tyollisyys"], tags=[one_line[:100]],
            laws=[{"title": one_line[:300], "section": one_line[:100]}],
            links=[{"title": one_line[:300], "url": "https://example.fi/"}],
            contacts=[{"name": one_line[:200], "role": one_line[:200]}],
            origin=one_line[:300] if kind == "idea" else None,
            proposal={"justification": payload, "savings": payload, "people": payload} if kind == "norm" else {},
        )
        entry, _ = save_document(session, doc, resolve_references(doc, index, "xss"), author=author)
        entry.author_id, entry.organisation_id = author.id, org.id
        state = EntryState.published if i % 4 else EntryState.submitted
        workflow.place_by_operator(session, entry, state, None)
        if i % 4 == 0 and i < 80:  # moderator comments carry payloads to the history and the public log
            workflow.act(session, entry, workflow.Action.take, moderator)
            workflow.act(session, entry, workflow.Action.reject, moderator, payload)
        elif i % 8 == 1 and i < 120:  # a pending edit shows the payload in a diff
            edit = EntryDocument(**{**doc.__dict__, "summary": "muutos " + payload, "body": payload + " uusi"})
            save_edit(session, entry, edit, ["205"], author)
    session.commit()
    app.extensions[SEARCH_KEY].catch_up()
    return author, moderator


def test_payload_corpus_is_large_and_varied():
    assert len(PAYLOADS) >= 200 and len(set(PAYLOADS)) == len(PAYLOADS)


def test_every_entry_page_is_inert(client, world, app_session):
    slugs = app_session.exec(select(Entry.slug).where(Entry.state == "published")).all()
    assert len(slugs) > 300
    for slug in slugs:
        response = client.get(f"/entries/{slug}")
        assert response.status_code == 200
        assert_inert(response.text, slug)


def test_lists_search_and_public_log_are_inert(client, world):
    for url in ["/", "/entries", "/entries?page=2", "/entries?type=norm", "/themes/tyollisyys", "/municipalities/205",
                "/search?q=alert", "/search?q=script", "/search?q=javascript", "/search?q=onerror&sort=newest",
                "/moderation-log"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.text, url)


def test_search_box_echo_is_inert(client, world):
    for payload in PAYLOADS[::7]:
        response = client.get("/search", query_string={"q": payload[:500]})
        assert response.status_code in (200, 400)
        assert_inert(response.text, f"search {payload!r}")


@pytest.mark.slow
@pytest.mark.sqlite_only("the same templates on the same stored text: the payloads' round trip through "
                         "each database is test_every_entry_page_is_inert's, on both")
def test_moderation_pages_history_and_diffs_are_inert(app, world, app_session):
    """The review, versions and diff pages (140 entries), the queue, /my and edit forms stay inert.

    Run on SQLite only (it was 11 s on PostgreSQL, the file's most): what makes a page inert is
    its templates' escaping of what the database gives back, and every payload comes back from
    PostgreSQL as from SQLite (test_every_entry_page_is_inert renders each stored field from both,
    and the diff's revisions are the same text). The moderation pages' queries on PostgreSQL are
    the authorization matrix's, the review flow's and the history tests'.
    """
    moderator = app.test_client()
    sign_in(moderator, "mod@kuntaliitto.fi")
    queue = moderator.get("/moderation")
    assert_inert(queue.text, "queue")
    rows = app_session.exec(select(Entry.slug)).all()
    for slug in rows[:140]:
        review = moderator.get(f"/moderation/{slug}")
        assert review.status_code == 200
        assert_inert(review.text, f"review {slug}")
        versions = moderator.get(f"/entries/{slug}/revisions")
        assert_inert(versions.text, f"versions {slug}")
        assert_inert(moderator.get(f"/entries/{slug}/diff?a=1&b=1").text, f"diff {slug}")
    author = app.test_client()
    sign_in(author, "author@kajaani.fi")
    mine = author.get("/my")
    assert mine.status_code == 200
    assert_inert(mine.text, "my entries")
    for slug in rows[:60:5]:
        form = author.get(f"/entries/{slug}/edit")
        if form.status_code == 200:
            assert_inert(form.text, f"edit form {slug}")


def test_payload_titles_cannot_inject_mail_headers():
    from ideapankki.mail import MailSettings, build_message

    settings = MailSettings(None, 25, None, None, False, "Ideapankki <noreply@ideapankki.test>", Path("/tmp"))
    for payload in PAYLOADS:
        message = build_message(settings, "a@kajaani.fi", f"Julkaistu: {payload}", payload)
        assert "\n" not in message["Subject"] and message["Bcc"] is None
