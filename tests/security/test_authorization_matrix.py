"""Every route × every kind of visitor × every entry state, against the status it must answer.

The matrix is checked against the app's URL map: a new route without a row here fails
`test_every_route_is_in_the_matrix`. Requests that may change data run on an app whose database (and instance folder) is the world
untouched, so each cell sees the same world: a copy made for the cell, or the previous POST cell's
copy when that cell provably wrote nothing (tests/untouched.py; a refusal, most cells).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import Session, select

from factories import make_entry, make_programme
from ideapankki import accounts, create_app
from ideapankki.changes import site_version
from ideapankki.db import create_db_engine
from ideapankki.models import EntryState, Role, User
from ideapankki.web import index
from ideapankki.web.database import ENGINE_KEY
from ideapankki import close_app
from untouched import WriteWatch

ROLES = ("anonymous", "same", "other", "moderator", "admin")
STATES = tuple(s.value for s in EntryState)
PASSWORD = "kuusi sanaa kulkee kauas"
LOGIN = 302  # login_required sends anonymous visitors to the log-in page
ANY = {role: None for role in ROLES}


def table(anonymous, same, other, moderator, admin=None):
    return {"anonymous": anonymous, "same": same, "other": other, "moderator": moderator,
            "admin": moderator if admin is None else admin}


def everyone(status):
    return table(status, status, status, status)


def review_like(state):
    """Pages about one entry for its organisation and moderators (review, versions, diff)."""
    unpublished = state != "published"
    return table(LOGIN, 200, 404 if unpublished else 403, 200)


def edit_status(state, role):
    if role == "anonymous":
        return LOGIN
    if role == "other":
        return 404 if state != "published" else 403
    if role in ("moderator", "admin"):
        return 200 if state == "in_review" else 403
    return 200 if state in ("draft", "returned", "published") else 403


def edit_post_status(state, role):
    """What was typed comes back: 400 for a bad form; 409 when the state no longer allows the person's
    edit (it changed since the form was shown); 403 for one who never edits it."""
    status = edit_status(state, role)
    if status == 200:
        return 400
    return 409 if status == 403 and role != "other" else status


def take_status(state, role):
    if role == "anonymous":
        return LOGIN
    if role == "other" and state != "published":
        return 404
    if state != "submitted":
        return 409
    return 302 if role in ("moderator", "admin") else 403


def publish_status(state, role):
    """Four eyes: a moderator who did not write the text publishes it; its author never (a member anyway)."""
    if role == "anonymous":
        return LOGIN
    if role == "other" and state != "published":
        return 404
    if state != "in_review":
        return 409
    return 302 if role in ("moderator", "admin") else 403


def appeal_status(state, role):
    """The author's organisation asks once for reconsideration of a rejected entry, with reasons."""
    if role == "anonymous":
        return LOGIN
    if role == "other" and state != "published":
        return 404
    if state != "rejected":
        return 409
    return 302 if role == "same" else 403


def reopen_status(state, role):
    """Deciding on an appeal needs an open appeal (there is none in this world) and a moderator."""
    if role == "anonymous":
        return LOGIN
    if role == "other" and state != "published":
        return 404
    return 409 if state != "rejected" else 403


# endpoint -> (method, url template, form data, expectation: table or function(state, role))
MATRIX = {
    "public.front": ("GET", "/", None, everyone(200)),
    "public.entries": ("GET", "/entries", None, everyone(200)),
    "public.entry": ("GET", "/entries/{slug}", None, lambda s, r: 200 if s == "published" else 404),
    "public.municipality": ("GET", "/municipalities/205", None, everyone(200)),
    "public.theme": ("GET", "/themes/tyollisyys", None, everyone(200)),
    "search.search_page": ("GET", "/search?q=kokeilu", None, everyone(200)),
    "api.search": ("GET", "/api/v1/search?q=kokeilu", None, everyone(200)),
    "api.similar": ("GET", "/api/v1/similar?title=kokeilu", None, everyone(200)),
    "api.entries": ("GET", "/api/v1/entries", None, everyone(200)),
    "api.entry": ("GET", "/api/v1/entries/{slug}", None, lambda s, r: 200 if s == "published" else 404),
    "api.municipalities": ("GET", "/api/v1/municipalities", None, everyone(200)),
    "api.themes": ("GET", "/api/v1/themes", None, everyone(200)),
    "api.openapi": ("GET", "/api/v1/openapi.json", None, everyone(200)),
    "stats.page": ("GET", "/statistics", None, everyone(200)),
    "stats.api": ("GET", "/api/v1/statistics", None, everyone(200)),
    "i18n.switch": ("GET", "/language/sv?next=/entries", None, everyone(302)),
    "moderate.log": ("GET", "/moderation-log", None, everyone(200)),
    "data.index": ("GET", "/data", None, everyone(200)),
    "accessibility.statement": ("GET", "/accessibility", None, everyone(200)),
    "data.download": ("GET", "/data/ideapankki-entries.csv", None, everyone(200)),
    "moderate.queue": ("GET", "/moderation", None, table(LOGIN, 403, 403, 200)),
    "moderate.review": ("GET", "/moderation/{slug}", None,  # the author is sent to their status page
                        lambda s, r: 302 if r == "same" else review_like(s)[r]),
    "status.page": ("GET", "/entries/{slug}/status", None, lambda s, r: review_like(s)[r]),
    "history.versions": ("GET", "/entries/{slug}/history", None, lambda s, r: 200 if s == "published" else 404),
    "moderate.revisions": ("GET", "/entries/{slug}/revisions", None, lambda s, r: review_like(s)[r]),
    "moderate.diff": ("GET", "/entries/{slug}/diff?a=1&b=1", None, lambda s, r: review_like(s)[r]),
    "moderate.act": ("POST", "/entries/{slug}/act", {"action": "take"}, take_status),
    "moderate.act publish": ("POST", "/entries/{slug}/act", {"action": "publish"}, publish_status),
    "moderate.act appeal": ("POST", "/entries/{slug}/act", {"action": "appeal", "comment": "Perustelut."},
                            appeal_status),
    "moderate.act reopen": ("POST", "/entries/{slug}/act", {"action": "reopen", "comment": "Avataan."},
                            reopen_status),
    "norm_status.record": ("POST", "/entries/{slug}/norm-status", {"status": "sent_to_ministry"},
                           lambda s, r: LOGIN if r == "anonymous" else 404 if s != "published"
                           else 409 if r in ("moderator", "admin") else 403),
    "practice.confirm_evidence": ("POST", "/moderation/{slug}/evidence", {"evidence_level": "3"},
                                  lambda s, r: LOGIN if r == "anonymous" else 404 if r == "other" and s != "published"
                                  else 403 if r in ("same", "other") else 302 if s == "in_review" else 409),
    "adoptions.mark": ("POST", "/entries/{slug}/adoption", {"status": "interested"},
                       lambda s, r: LOGIN if r == "anonymous" else 404 if s != "published"
                       else 302 if r == "other" else 403),  # only another organisation's approved member
    "adoptions.withdraw": ("POST", "/entries/{slug}/adoption/withdraw", {},
                           lambda s, r: LOGIN if r == "anonymous" else 404 if s != "published"
                           else 302 if r == "other" else 403),
    "adoptions.adopters": ("GET", "/entries/{slug}/adopters", None, lambda s, r: 200 if s == "published" else 404),
    "adoption_feed.entry_feed": ("GET", "/feeds/entry/{slug}.atom", None,
                                 lambda s, r: 200 if s == "published" else 404),
    "contribute.start": ("GET", "/submit", None, everyone(200)),
    "notices.preference": ("POST", "/account/notices", {"notices": "daily"}, table(LOGIN, 403, 403, 302, 302)),
    "account_language.choose": ("POST", "/account/language", {"language": "sv"}, table(LOGIN, 302, 302, 302)),
    "submit.mine": ("GET", "/my", None, table(LOGIN, 200, 200, 200)),
    "submit.new": ("GET", "/new/norm", None, table(LOGIN, 200, 200, 200)),
    "submit.new POST": ("POST", "/new/norm", {"title": ""}, table(LOGIN, 400, 400, 400)),
    "submit.edit": ("GET", "/entries/{slug}/edit", None, edit_status),
    "submit.edit POST": ("POST", "/entries/{slug}/edit", {"title": ""}, edit_post_status),
    "auth.login": ("GET", "/login", None, everyone(200)),
    "auth.login POST": ("POST", "/login", {}, everyone(400)),
    "auth.register": ("GET", "/register", None, everyone(200)),
    "auth.register POST": ("POST", "/register", {}, everyone(400)),
    "auth.confirm": ("GET", "/confirm/not-a-token", None, everyone(404)),
    "auth.reset_request": ("GET", "/reset", None, everyone(200)),
    "auth.reset_request POST": ("POST", "/reset", {}, everyone(400)),
    "auth.reset": ("GET", "/reset/not-a-token", None, everyone(400)),
    "auth.reset POST": ("POST", "/reset/not-a-token", {}, everyone(400)),
    "login_link.use": ("GET", "/login/link/not-a-token", None, everyone(400)),
    "login_link.use POST": ("POST", "/login/link/not-a-token", {}, everyone(400)),
    "auth.account": ("GET", "/account", None, table(LOGIN, 200, 200, 200)),
    "auth.account POST": ("POST", "/account", {}, table(LOGIN, 400, 400, 400)),
    "auth.logout": ("POST", "/logout", {}, table(LOGIN, 302, 302, 302)),
    "admin.memberships": ("GET", "/admin/memberships", None, table(LOGIN, 403, 403, 200)),
    "admin.approve": ("POST", "/admin/memberships/{waiting}/approve", {}, table(LOGIN, 403, 403, 302)),
    "admin.users": ("GET", "/admin/users", None, table(LOGIN, 403, 403, 403, 200)),
    "admin.update_user": ("POST", "/admin/users/{other_id}", {"role": "member", "active": "1"},
                          table(LOGIN, 403, 403, 403, 302)),
    "admin.organisations": ("GET", "/admin/organisations", None, table(LOGIN, 403, 403, 403, 200)),
    "admin.add_organisation": ("POST", "/admin/organisations/new", {"kind": "ministry", "name": "Testiministeriö"},
                               table(LOGIN, 403, 403, 403, 303)),
    "admin.update_organisation": ("POST", "/admin/organisations/{org_id}", {"domain": "kajaani.fi"},
                                  table(LOGIN, 403, 403, 403, 302)),
    "feeds.entries": ("GET", "/feeds/entries.atom", None, everyone(200)),
    "feeds.by_type": ("GET", "/feeds/type/practice.atom", None, everyone(200)),
    "feeds.by_theme": ("GET", "/feeds/theme/tyollisyys.atom", None, everyone(200)),
    "feeds.by_municipality": ("GET", "/feeds/municipality/205.atom", None, everyone(200)),
    "feeds.search": ("GET", "/feeds/search.atom?q=kokeilu", None, everyone(200)),
    "programmes.index": ("GET", "/programmes", None, everyone(200)),
    "programmes.programme": ("GET", "/programmes/ohjelma", None, everyone(200)),
    "programmes.feed": ("GET", "/feeds/programme/ohjelma.atom", None, everyone(200)),
    "programmes_api.index": ("GET", "/api/v1/programmes", None, everyone(200)),
    "programmes_api.programme": ("GET", "/api/v1/programmes/ohjelma", None, everyone(200)),
    "crawl.sitemap_xml": ("GET", "/sitemap.xml", None, everyone(200)),
    "crawl.robots_txt": ("GET", "/robots.txt", None, everyone(200)),
    "health.healthz": ("GET", "/healthz", None, everyone(200)),
    "privacy.statement": ("GET", "/privacy", None, everyone(200)),
    # Following needs no account: the mailed token is the only key to an address's subscriptions.
    "follow.subscribe": ("GET", "/follow", None, everyone(200)),
    "follow.confirm": ("GET", "/follow/confirm/not-a-token", None, everyone(404)),
    "follow.manage": ("GET", "/follow/manage/not-a-token", None, everyone(404)),
    "follow.subscribe POST": ("POST", "/follow", {}, everyone(400)),
    "follow.confirm POST": ("POST", "/follow/confirm/not-a-token", {}, everyone(404)),
    "follow.manage POST": ("POST", "/follow/manage/not-a-token", {}, everyone(404)),
    # One-click unsubscribe (RFC 8058) is idempotent: an unknown or used token says "nothing is followed".
    "follow.unsubscribe POST": ("POST", "/follow/unsubscribe/not-a-token", {}, everyone(200)),
    "follow.remove": ("POST", "/follow/manage/not-a-token/remove/1", {}, everyone(404)),
    "follow.unsubscribe": ("GET", "/follow/unsubscribe/not-a-token", None, everyone(404)),
    # Anyone may report an error on a published entry; only moderators see and resolve reports.
    "reports.report": ("GET", "/entries/{slug}/report", None, lambda s, r: 200 if s == "published" else 404),
    "reports.report POST": ("POST", "/entries/{slug}/report", {}, lambda s, r: 400 if s == "published" else 404),
    "reports.queue": ("GET", "/moderation/reports", None, table(LOGIN, 403, 403, 200)),
    "reports.resolve": ("POST", "/moderation/reports/999", {"action": "none"}, table(LOGIN, 403, 403, 404)),
    "vocabulary.index": ("GET", "/moderate/vocabulary/", None, table(LOGIN, 403, 403, 200)),
    "vocabulary.new": ("GET", "/moderate/vocabulary/new", None, table(LOGIN, 403, 403, 200)),
    "vocabulary.edit": ("GET", "/moderate/vocabulary/theme-tyollisyys", None, table(LOGIN, 403, 403, 200)),
    "vocabulary.new POST": ("POST", "/moderate/vocabulary/new", {}, table(LOGIN, 403, 403, 400)),
    "vocabulary.edit POST": ("POST", "/moderate/vocabulary/theme-tyollisyys", {}, table(LOGIN, 403, 403, 400)),
    "vocabulary.delete": ("POST", "/moderate/vocabulary/no-such-concept/delete", {}, table(LOGIN, 403, 403, 404)),
}
# /static/<filename> serves the site's own CSS and JavaScript to everyone; it has no row.
NOT_IN_MATRIX = {"static"}


@dataclass
class World:
    template: str
    users: dict
    ids: dict


@pytest.fixture(scope="module")
def world(module_databases):
    template = module_databases.fresh()
    engine = create_db_engine(template)
    with Session(engine, expire_on_commit=False) as session:
        kajaani = accounts.find_or_create_organisation(session, "Kajaani")
        porvoo = accounts.find_or_create_organisation(session, "Porvoo")
        users = {
            "same": accounts.add_user(session, email="same@kajaani.fi", role=Role.member, password=PASSWORD,
                                      organisation=kajaani),
            "other": accounts.add_user(session, email="other@porvoo.fi", role=Role.member, password=PASSWORD,
                                       organisation=porvoo),
            "moderator": accounts.add_user(session, email="mod@kuntaliitto.fi", role=Role.moderator,
                                           password=PASSWORD),
            "admin": accounts.add_user(session, email="admin@kuntaliitto.fi", role=Role.admin, password=PASSWORD),
        }
        waiting = accounts.register(session, email="waiting@kajaani.fi", name="W", password=PASSWORD,
                                    organisation=kajaani)
        accounts.confirm_email(session, waiting)
        make_programme(session, "ohjelma", commit=False)
        for state in STATES:
            entry = make_entry(session, f"e-{state}", state=EntryState(state), commit=False,
                               title=f"Kokeilu {state}", programme="ohjelma", published=date(2022, 1, 1) if state in (
                                   "published", "archived") else None)
            entry.author_id, entry.organisation_id = users["same"].id, kajaani.id
        session.commit()
        ids = {"waiting": waiting.id, "other_id": users["other"].id, "org_id": kajaani.id}
        tokens = {role: user.get_id() for role, user in users.items()}
    engine.dispose()
    return World(template, tokens, ids)


def app_on_copy(world, databases, tmp_path, method="POST"):
    """An app on a copy of the world for a request that may change data; on the world itself for a read."""
    url = world.template if method in ("GET", "HEAD") else databases.copy(world.template)
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "matrix",
                      "INSTANCE_DIR": tmp_path / "instance", "DATABASE_URL": url})
    return app


class WritingApps:
    """Apps on copies of the world for the cells that POST. A copy (PostgreSQL: CREATE DATABASE …
    TEMPLATE, ~0.15 s, most of such a cell) serves the next cell too when its cell wrote nothing
    at all: no data-changing statement on its engine, no file in its instance folder, SQLite's
    data_version unmoved (WriteWatch). A cell that wrote, or might have, gives its copy up.
    The refusals (360 of the 465 POST cells of a database) so share a copy as the reading cells
    share theirs, each still on the world exactly as the fixture made it."""

    def __init__(self, world, databases, folder):
        self.world, self.databases, self.folder = world, databases, folder
        self.count = 0
        self.clean: tuple | None = None  # (app, url, watch) of a copy no cell changed

    def take(self):
        if self.clean is None:
            self.count += 1
            url = self.databases.copy(self.world.template)
            instance = self.folder / f"copy{self.count}" / "instance"
            app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "matrix",
                              "INSTANCE_DIR": instance, "DATABASE_URL": url})
            self.clean = (app, url, WriteWatch(app.extensions[ENGINE_KEY], instance))
        taken, self.clean = self.clean, None
        taken[2].start()
        return taken

    def give_back(self, taken) -> None:
        app, url, watch = taken
        index.search_index(app).healer.wait(30)  # background work a request began counts as its own
        if watch.wrote():
            watch.close()
            close_app(app)
            self.databases.drop(url)
        else:
            self.clean = taken

    def close(self) -> None:
        if self.clean is not None:
            self.clean[2].close()
            close_app(self.clean[0])
            self.clean = None


@pytest.fixture(scope="module")
def writing_apps(world, module_databases, tmp_path_factory):
    apps = WritingApps(world, module_databases, tmp_path_factory.mktemp("matrix-writes"))
    yield apps
    apps.close()


@pytest.fixture(scope="module")
def reading_app(world, module_databases, tmp_path_factory):
    """One app for every cell that only reads (GET), on a copy of the world (PostgreSQL copies the
    world for the writing cells only while no one is connected to it): a read changes nothing (each
    cell checks), so a new app per cell (its routes, its search index) proved nothing more and cost
    most of the cell."""
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "matrix",
                      "INSTANCE_DIR": tmp_path_factory.mktemp("matrix-reads") / "instance",
                      "DATABASE_URL": module_databases.copy(world.template)})
    yield app
    close_app(app)


def cells(name):
    """(state, role, status) of every cell in row NAME: each entry state for a URL about an entry."""
    _method, url, _data, expected = MATRIX[name]
    for state in STATES if "{slug}" in url else ("-",):
        for role in ROLES:
            yield state, role, expected(state, role) if callable(expected) else expected[role]


def request_status(app, world, method, target, role, data):
    client = app.test_client()
    if role != "anonymous":
        with client.session_transaction() as session:
            session["_user_id"] = world.users[role]
            session["_fresh"] = True
    response = client.open(target, method=method, data=data)
    response.close()  # downloads stream from files
    return response.status_code


@pytest.mark.parametrize("name", list(MATRIX))
def test_matrix_row(world, request, name):
    """Every cell of row NAME (each state × role), each on the world as the fixture made it; the test
    names every cell that answered wrong. One test a row (98), not a cell (1,120 of a database kind, which
    cost pytest's per-test work, set-up, reports and xdist's hand-out, more than many of their requests)."""
    method, url, data, _expected = MATRIX[name]
    wrong = []
    for state, role, status in cells(name):
        target = url.format(slug=f"e-{state}", **world.ids)
        if method in ("GET", "HEAD"):
            app = request.getfixturevalue("reading_app")
            before = site_version(app.extensions[ENGINE_KEY])
            got = request_status(app, world, method, target, role, data)
            assert site_version(app.extensions[ENGINE_KEY]) == before, f"{method} {target} as {role} wrote"
        else:
            apps = request.getfixturevalue("writing_apps")
            taken = apps.take()
            try:
                got = request_status(taken[0], world, method, target, role, data)
            finally:
                apps.give_back(taken)
        if got != status:
            wrong.append(f"{method} {target} as {role}: {got} != {status}")
    assert not wrong, "\n".join(wrong)


def test_a_copy_serves_the_next_cell_only_when_nothing_was_written(world, writing_apps):
    """The writing cells' shortcut (WritingApps): a refusal keeps the copy, a write gives it up."""
    for role, status, kept in (("anonymous", LOGIN, True), ("same", 302, False)):
        taken = writing_apps.take()
        got = request_status(taken[0], world, "POST", "/account/language", role, {"language": "sv"})
        writing_apps.give_back(taken)
        assert (got, writing_apps.clean is taken) == (status, kept)


def test_every_route_is_in_the_matrix(world, databases, tmp_path):
    app = app_on_copy(world, databases, tmp_path)
    covered = {name.split(" ")[0] for name in MATRIX}
    routes = {rule.endpoint for rule in app.url_map.iter_rules()} - NOT_IN_MATRIX
    assert routes - covered == set(), "routes without a row in the authorization matrix"
    post_routes = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    posted = {name.split(" ")[0] for name, row in MATRIX.items() if row[0] == "POST"}
    assert post_routes - posted == set(), "POST routes without a POST row"
    close_app(app)


def test_the_waiting_member_was_approved_only_by_a_moderator(world, databases, tmp_path):
    app = app_on_copy(world, databases, tmp_path)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = world.users["same"]
    client.post(f"/admin/memberships/{world.ids['waiting']}/approve")
    with Session(app.extensions[ENGINE_KEY]) as session:
        assert session.exec(select(User).where(User.id == world.ids["waiting"])).one().membership_approved_at is None
    close_app(app)


@pytest.mark.parametrize("who, waive, single, status", [
    ("moderator", "", False, 403), ("admin", "yes", False, 403), ("admin", "", True, 403), ("admin", "yes", True, 302)])
def test_four_eyes_a_moderator_who_rewrote_the_text_does_not_publish_it(world, databases, tmp_path, who, waive,
                                                                       single, status):
    """The text in review last edited by WHO: WHO publishes it only as an admin who asks to waive the
    rule on a single-moderator site (IDEAPANKKI_SINGLE_MODERATOR)."""
    app = app_on_copy(world, databases, tmp_path)
    app.config["SINGLE_MODERATOR"] = single
    try:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = world.users[who], True
        edited = client.post("/entries/e-in_review/edit", data={"title": "Uusi otsikko", "summary": "Uusi.",
                                                                 "language": "fi", "do": "save"})
        assert edited.status_code == 302, edited.status_code
        response = client.post("/entries/e-in_review/act", data={"action": "publish", "waive": waive})
        assert response.status_code == status
    finally:
        close_app(app)
