"""Every page type, in every language, is valid HTML by the Nu HTML Checker (vnu), the W3C's own.

The pages come from the test client over a database with the seed content, a moderation case
and accounts of each role; vnu.jar (npm package vnu-jar, installed by `.ci/run` into
`.ci/vnu/node_modules`) checks them all in one JVM run. Without Java or the jar the test skips
with the reason, unless IDEAPANKKI_REQUIRE_VNU is set, as CI sets it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlmodel import Session, select

from clients import PASSWORD, post_form, sign_in
from factories import CONTENT_DIR, PROJECT_DIR, make_entry, mark_by_many
from ideapankki import accounts, adoptions, create_app, workflow
import structured_samples
from ideapankki.content import EntryDocument, parse
from ideapankki.entries import save_document
from ideapankki.migrate import init_database, seed_if_empty
from ideapankki.models import Entry, EntryState, Role
from ideapankki.web.database import ENGINE_KEY
from ideapankki.web.index import SEARCH_KEY
from ideapankki.web.views.adoptions import SHOWN
from ideapankki import close_app

LANGUAGES = ("fi", "sv", "en")
DEFAULT_JAR = PROJECT_DIR / ".ci" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# (name, who is signed in, method, path); a POST sends an empty form to show its field errors.
PAGES = [
    ("front", None, "GET", "/"),
    ("browse", None, "GET", "/entries"),
    ("browse-filtered", None, "GET", "/entries?type=norm&theme=tyollisyys&sort=newest"),
    ("entry-practice", None, "GET", "/entries/kainuun-tyollisyyden-kuntakokeilu"),
    ("entry-idea", None, "GET", "/entries/sotku-kuntamarkkinat-2022-winner"),  # with adopters and their map
    ("entry-adoption-form", "adopter", "GET", "/entries/kainuun-tyollisyyden-kuntakokeilu"),
    ("entry-norm", None, "GET", "/entries/saatavuusharkinnasta-luopuminen-kokeilun-ajaksi"),
    ("entry-swedish", None, "GET", "/entries/sysselsattningsforsoken-2021-2023"),
    ("municipality", None, "GET", "/municipalities/205"),
    ("theme", None, "GET", "/themes/tyollisyys"),
    ("programmes", None, "GET", "/programmes"),
    ("programme", None, "GET", "/programmes/tyollisyyden-kuntakokeilut-2021-2023"),
    ("search-results", None, "GET", "/search?q=kuntakokeilussa"),
    ("search-facets", None, "GET", "/search?q=kokeilu&type=practice"),
    ("search-nothing", None, "GET", "/search?q=xyzzyqwerty"),
    ("search-empty", None, "GET", "/search"),
    ("statistics", None, "GET", "/statistics"),
    ("open-data", None, "GET", "/data"),
    ("moderation-log", None, "GET", "/moderation-log"),
    ("accessibility", None, "GET", "/accessibility"),
    ("privacy", None, "GET", "/privacy"),
    ("follow-form", None, "GET", "/follow?kind=theme&value=tyollisyys"),
    ("vocabulary", "moderator", "GET", "/moderate/vocabulary/?q=koulu"),
    ("vocabulary-concept", "moderator", "GET", "/moderate/vocabulary/esiopetus"),
    ("vocabulary-errors", "moderator", "POST", "/moderate/vocabulary/new"),
    ("follow-errors", None, "POST", "/follow?kind=all"),
    ("report-form", None, "GET", "/entries/kainuun-tyollisyyden-kuntakokeilu/report"),
    ("report-errors", None, "POST", "/entries/kainuun-tyollisyyden-kuntakokeilu/report"),
    ("reports-queue", "moderator", "GET", "/moderation/reports"),
    ("login", None, "GET", "/login"),
    ("login-errors", None, "POST", "/login"),
    ("register", None, "GET", "/register"),
    ("register-errors", None, "POST", "/register"),
    ("password-reset", None, "GET", "/reset"),
    ("not-found", None, "GET", "/entries/ei-ole-olemassa"),
    ("submit-start", None, "GET", "/submit"),
    ("submit-start-member", "member", "GET", "/submit"),
    ("my-entries", "member", "GET", "/my"),
    ("submission-form", "member", "GET", "/new/norm"),
    ("submission-errors", "member", "POST", "/new/norm"),
    ("account", "member", "GET", "/account"),
    ("account-moderator", "moderator", "GET", "/account"),
    ("moderation-queue", "moderator", "GET", "/moderation"),
    ("review", "moderator", "GET", "/moderation/odottaa-tarkastusta"),
    ("entry-structured", None, "GET", "/entries/jasennelty-kokeilu"),
    ("adopters", None, "GET", "/entries/jasennelty-kokeilu/adopters"),
    ("municipality-adoptions", None, "GET", "/municipalities/564"),  # Oulu's marks
    ("entry-structured-norm", None, "GET", "/entries/jasennelty-normi"),
    ("submission-form-practice", "member", "GET", "/new/practice"),
    ("submission-errors-practice", "member", "POST", "/new/practice"),
    ("review-practice", "moderator", "GET", "/moderation/arvioitava-kokeilu"),
    ("revisions", "moderator", "GET", "/entries/odottaa-tarkastusta/revisions"),
    ("diff", "moderator", "GET", "/entries/odottaa-tarkastusta/diff?a=1&b=2"),
    ("author-status", "member", "GET", "/entries/odottaa-tarkastusta/status"),
    ("review-refused", "moderator", "POST", "/entries/arvioitava-kokeilu/act"),
    ("confirm-reject", "moderator", "POST", "/entries/arvioitava-kokeilu/act"),
    ("version-history", None, "GET", "/entries/jasennelty-normi/history"),
    ("admin-users", "admin", "GET", "/admin/users"),
    ("admin-memberships", "admin", "GET", "/admin/memberships"),
    ("admin-organisations", "admin", "GET", "/admin/organisations"),
]
# POSTs that send a form (where the token comes from, the form, the status): a refusal and a confirmation
FORMS = {"review-refused": ("/moderation/arvioitava-kokeilu", {"action": "return", "comment": ""}, 400),
         "confirm-reject": ("/moderation/arvioitava-kokeilu", {"action": "reject", "comment": "Ei kuulu."}, 200)}
ACCOUNTS = {"member": "maija@kajaani.fi", "moderator": "moderaattori@kuntaliitto.fi", "admin": "yllapito@kuntaliitto.fi",
            "adopter": "liisa@ouka.fi"}
ORGANISATIONS = {"member": "Kajaani", "adopter": "Oulu"}


def _vnu_command() -> list[str] | None:
    jar = Path(os.environ.get("IDEAPANKKI_VNU_JAR") or DEFAULT_JAR)
    java = shutil.which("java")
    if java and jar.is_file():
        # C1 only (TieredStopAtLevel=1): one short run of the checker, where the C2 compiler's work is
        # never paid back (6 s instead of 14 s for the pages); C1 frames are bigger, hence the stack.
        return [java, "-Xss8m", "-XX:TieredStopAtLevel=1", "-jar", str(jar)]
    reason = f"the Nu HTML Checker needs java and {jar} (npm ci --ignore-scripts --prefix .ci/vnu)"
    if os.environ.get("IDEAPANKKI_REQUIRE_VNU"):
        pytest.fail(reason)
    pytest.skip(reason)


def _arrange(app) -> None:
    engine = app.extensions[ENGINE_KEY]
    init_database(engine)
    seed_if_empty(engine, CONTENT_DIR)
    with Session(engine, expire_on_commit=False) as session:
        users = {}
        for role, email in ACCOUNTS.items():
            organisation = accounts.find_or_create_organisation(session, ORGANISATIONS.get(role, "Kuntaliitto"))
            users[role] = accounts.add_user(session, email=email, role=Role.member if role == "adopter" else Role(role),
                                            password=PASSWORD, organisation=organisation)
        session.commit()
        idea = session.exec(select(Entry).where(Entry.slug == "sotku-kuntamarkkinat-2022-winner")).one()
        adoptions.mark(session, idea, users["adopter"], "adopted", year=2024, note="Käytössä nuorisopalveluissa.",
                       link="https://www.ouka.fi/")
        adoptions.mark(session, idea, users["member"], "interested")
        session.commit()
        # An entry with two versions waiting for review: the review, versions and diff pages.
        entry = make_entry(session, "odottaa-tarkastusta", type="norm", state=EntryState.draft,
                           title="Kotihoidon raportointivelvoitteen keventäminen", municipalities=["Kajaani"],
                           laws=[{"title": "Sosiaalihuoltolaki", "number": "1301/2014"}], body="## Ehdotus\n\nKevennetään raportointia.")
        doc = EntryDocument(slug=entry.slug, type="norm", title=entry.title, summary="Tiivistelmä muuttui.",
                            municipalities=["Kajaani"], body="## Ehdotus\n\nKevennetään kuukausiraportointia.")
        save_document(session, doc, ["205"])
        workflow.place_by_operator(session, session.exec(select(Entry).where(Entry.slug == entry.slug)).one(),
                                   EntryState.submitted, "test")
        entry.author_id, entry.organisation_id = users["member"].id, users["member"].organisation_id  # its status page
        # Every structured field: published practice and norm proposal, and a practice in review.
        for text, slug, state in ((structured_samples.PRACTICE, "jasennelty-kokeilu", EntryState.published),
                                  (structured_samples.NORM, "jasennelty-normi", EntryState.published),
                                  (structured_samples.PRACTICE, "arvioitava-kokeilu", EntryState.in_review)):
            doc = parse(text, f"{text.split('type: ')[1].split()[0]}/{slug}.md")
            saved, _changed = save_document(session, doc, ["205"] if doc.municipalities else [])
            workflow.place_by_operator(session, saved, state, "test")
            if slug == "jasennelty-kokeilu":  # Kajaani's, marked by more organisations than its page's table lists
                saved.organisation_id = users["member"].organisation_id
                mark_by_many(session, saved, SHOWN + 5, skip=("205", "564"))
        session.commit()
        # a second published text of the norm proposal (an import's update): its version history shows a diff
        doc = parse(structured_samples.NORM, "norm/jasennelty-normi.md")
        doc.summary = f"{doc.summary} Päivitetty tiivistelmä."
        save_document(session, doc, ["205"] if doc.municipalities else [])
        session.commit()
    app.extensions[SEARCH_KEY].catch_up()  # as `ideapankki serve` does before the first request


def _fetch(app, who: str | None, method: str, path: str, language: str, form=None) -> str:
    client = app.test_client()
    client.get(f"/language/{language}?next=/")
    if who:
        sign_in(client, ACCOUNTS[who])
    expected = 404 if path.startswith("/entries/ei-") else 400 if method == "POST" else 200
    if form:
        source, data, expected = form
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(source).text).group(1)
        response = client.post(path, data={**data, "csrf_token": token})
    elif method == "POST":
        response = post_form(client, path, {})
    else:
        response = client.get(path)
    assert response.status_code == expected, (path, response.status_code)
    assert response.mimetype == "text/html"
    return response.text


@pytest.fixture(scope="module")
def findings(tmp_path_factory, sqlite_template) -> dict[str, list[str]]:
    """Each page file's name → vnu's errors on it. The database is a copy of the session's migrated
    template (init_database in _arrange then finds it at head: a migration from nothing cost ~2 s)."""
    command = _vnu_command()
    tmp = tmp_path_factory.mktemp("vnu")
    shutil.copy(sqlite_template.path, tmp / "pages.db")
    app = create_app({"TESTING": True, "INSTANCE_DIR": tmp / "instance",
                      "DATABASE_URL": f"sqlite:///{tmp / 'pages.db'}", "SECRET_KEY": "test-secret"})
    try:
        _arrange(app)
        pages = tmp / "pages"
        pages.mkdir()
        for language in LANGUAGES:
            for name, who, method, path in PAGES:
                html = _fetch(app, who, method, path, language, FORMS.get(name))
                (pages / f"{language}-{name}.html").write_text(html, "utf-8")
    finally:
        close_app(app)
    done = subprocess.run([*command, "--format", "json", "--exit-zero-always", str(pages)],
                          capture_output=True, text=True, timeout=300, check=True)
    messages = json.loads(done.stderr)["messages"]
    errors: dict[str, list[str]] = {p.name: [] for p in pages.iterdir()}
    for message in messages:
        if message["type"] in ("error", "non-document-error") or message.get("subType") == "fatal":
            name = Path(re.sub(r"^file:", "", message.get("url", ""))).name
            errors.setdefault(name, []).append(f"line {message.get('lastLine')}: {message['message']}")
    return errors


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", [page[0] for page in PAGES])
def test_page_is_valid_html(findings, name, language):
    assert findings[f"{language}-{name}.html"] == []


def test_every_page_was_checked(findings):
    assert len(findings) == len(PAGES) * len(LANGUAGES)
