"""Every GET route × every query parameter it reads, fuzzed with Hypothesis: never a 500 (issue #13).

The routes come from the app's URL map and the parameters from the app itself: the request's
`args` record every name a view asks for (get, [], in, getlist, to_dict().get), so a new route
or a new parameter is fuzzed without a change here. A parameter read only after another one
was valid (`b` after a good `a`) is found by probing and fuzzing again until no new name turns up. Path
parts are fuzzed too. Anonymous and as an admin (who passes every login_required check).

Values mix the app's own vocabulary (so deep paths are reached), numbers past 64 bits,
Unicode digits, blanks, controls and random text. Deterministic (derandomize) and bounded.

The probe's hostile values (HOSTILE, each on every parameter and path part) are sent once per route,
not once per role: a hostile request the view answered anonymously (anything but a log-in redirect,
401 or 403: the view read and parsed the parameter) is not sent again as the admin, who gets the
names it read from the anonymous answer. The admin still sends every hostile request that anonymous
was turned away from (the login_required pages: every admin-only route × parameter × value, as
before) and those on the names only the admin's view reads, and the admin's own discovery probes
and Hypothesis examples over all its names are unchanged. Until December 2026 the admin sent all of
them again (2,424 of the admin's 2,630 probes repeated an anonymous one, each a full page render:
the admin cells were 9-12 s); each share now runs both roles of its routes, anonymous first.
"""

from __future__ import annotations

import itertools
import re
from contextvars import ContextVar
from datetime import date
from urllib.parse import quote

import pytest
from flask import Request
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlmodel import Session
from werkzeug.datastructures import ImmutableMultiDict

from clients import PASSWORD
from factories import make_entry, make_programme
from ideapankki import accounts, create_app
from ideapankki.models import EntryState, EntryType, NormStatus, Role, TrialStatus
from ideapankki.reference import THEME_SLUGS
from ideapankki.web.database import ENGINE_KEY
from ideapankki import close_app

READ: ContextVar[set | None] = ContextVar("read", default=None)
ROUNDS = 3  # rounds of discovery: a name found in round n is fuzzed in round n + 1
EXAMPLES = {"anonymous": 12, "admin": 6}
PATH_SAMPLES = {"slug": ["omavalmentaja", "ohjelma", "tyollisyys"], "code": ["205", "sv"], "kind": ["practice"],
                "entry_type": ["norm"], "token": ["not-a-token"], "name": ["README.md"], "filename": ["site.css"],
                "key": ["theme-tyollisyys"]}
HOSTILE = ["", "0", "-1", "9223372036854775808", "99999999999999999999999999", "²", "١", "１", "\x00", "\n",
           "x" * 600, "1e3", " 1", "%ff"]  # each tried on every parameter and path part, as the probe did
VOCABULARY = [*HOSTILE, "1", "2", "20", "100", "10000", "10001", "2022", "1899", "0x10", "1 ", "NaN", "%", "\t",
              "' OR 1=1 --", "<script>", "../../etc/passwd", "relevance", "newest",
              "fi", "sv", "en", "091", "205", "999", "FI1D8", "FI193", "1", "7", "30", "submitted", "in_review",
              "/entries", "//evil.example", *[t.value for t in EntryType], *[s.value for s in TrialStatus],
              *[s.value for s in NormStatus], *THEME_SLUGS]
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
VALUE = st.one_of(st.sampled_from(VOCABULARY), TEXT, st.integers(-2**70, 2**70).map(str))
NOISE = ["utm_source", "page[]", "q\x00"]  # names no view reads: must be ignored


class RecordingArgs(ImmutableMultiDict):
    """Query arguments that note every name a view asks for."""

    def _note(self, key):
        seen = READ.get()
        if seen is not None and isinstance(key, str):
            seen.add(key)

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug's signature
        self._note(key)
        return super().get(key, default, type)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def getlist(self, key, type=None):  # noqa: A002
        self._note(key)
        return super().getlist(key, type)

    def to_dict(self, flat=True):
        return RecordingDict(super().to_dict(flat), self._note)


class RecordingDict(dict):
    def __init__(self, data, note):
        super().__init__(data)
        self._note = note

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)


class RecordingRequest(Request):
    parameter_storage_class = RecordingArgs


@pytest.fixture(scope="module")
def fuzz_app(module_databases, tmp_path_factory):
    app = create_app({"TESTING": True, "SECRET_KEY": "fuzz", "PER_PAGE": 5, "DATABASE_URL": module_databases.fresh(),
                      "INSTANCE_DIR": tmp_path_factory.mktemp("fuzz") / "instance"})
    app.request_class = RecordingRequest
    with Session(app.extensions[ENGINE_KEY], expire_on_commit=False) as session:
        make_programme(session, "ohjelma", commit=False)
        make_entry(session, "omavalmentaja", programme="ohjelma", municipalities=["Kajaani"], themes=["tyollisyys"],
                   published=date(2022, 2, 24), commit=False)
        make_entry(session, "luonnos", state=EntryState.submitted, commit=False)
        admin = accounts.add_user(session, email="admin@kuntaliitto.fi", role=Role.admin, password=PASSWORD)
        session.commit()
        app.config["FUZZ_ADMIN"] = admin.get_id()
    yield app
    close_app(app)


def get_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if "GET" in r.methods), key=lambda r: r.rule)


def _path(rule, parts: dict[str, str]) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: quote(parts[m.group(1)], safe=""), rule.rule)


def _client(app, role: str):
    client = app.test_client()
    if role == "admin":
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = app.config["FUZZ_ADMIN"], True
    return client


def _get(client, path: str, query: list[tuple[str, str]], seen: set):
    token = READ.set(seen)
    try:
        response = client.get(path, query_string=query)
        response.close()
    finally:
        READ.reset(token)
    return response


def _view_answered(response) -> bool:
    """The view itself answered (it read its parameters), not the log-in check in front of it."""
    if response.status_code in (401, 403):
        return False
    return not (300 <= response.status_code < 400 and (response.location or "").split("?")[0].endswith("/login"))


def fuzz_route(app, rule, role: str, names: set, sent: dict, answered: dict) -> set:
    """Fuzz RULE's path parts and NAMES as ROLE; return every name the view read.

    SENT (kept across the rounds of one route and role) maps each request already sent, probe or
    example, to the names it read: the same request again, on the same unchanged world, would read
    the same names (every round repeated its discovery probes, and Hypothesis' first examples of a
    round, derandomized, were often a request already sent: 14 % of all requests).
    ANSWERED (kept across the roles of one route) maps each hostile probe the view answered
    anonymously to the names it read: the admin takes those names instead of sending it again.
    """
    client, seen = _client(app, role), set(names)
    parts = sorted(rule.arguments)
    query = st.lists(st.tuples(st.sampled_from(sorted(names) + NOISE), VALUE), max_size=6) if names else st.just([])
    path_parts = st.fixed_dictionaries({p: st.one_of(st.sampled_from(PATH_SAMPLES[p]), TEXT) for p in parts})

    @given(path=path_parts, query=query)
    @settings(max_examples=EXAMPLES[role], derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(path, query):
        probe(_path(rule, path), query)

    def probe(url, query, hostile=False):
        key = (url, tuple(query))
        if hostile and role != "anonymous" and key in answered:
            sent[key] = answered[key]  # the view parsed this very request anonymously
        if key not in sent:
            read: set = set()
            response = _expect_no_500(client, role, url, query, read)
            sent[key] = read
            if hostile and role == "anonymous" and _view_answered(response):
                answered[key] = read
        seen.update(sent[key])

    for sample in itertools.product(*(PATH_SAMPLES[p] for p in parts)):  # what it reads given nothing or a number
        url = _path(rule, dict(zip(parts, sample)))
        probe(url, [])
        probe(url, [(name, "1") for name in sorted(names)])
        if parts:  # a query name that is also a path part (/themes/asuminen?slug=x): links built from both
            probe(url, [(part, "x") for part in parts])
    sample = {p: PATH_SAMPLES[p][0] for p in parts}
    for value in HOSTILE:  # the probe's values, each on every parameter and path part (once per route)
        for name in sorted(names):
            probe(_path(rule, sample), [(name, value)], hostile=True)
        for part in parts:
            probe(_path(rule, {**sample, part: value}), [], hostile=True)
    check()
    return seen - set(NOISE)


def _expect_no_500(client, role, url, query, seen):
    response = _get(client, url, query, seen)
    assert response.status_code < 500, f"{role}: GET {url} {query} answered {response.status_code}"
    return response


# The discovery itself: a few routes whose parameters must be found (each checked in the share holding its route).
DISCOVERED = {("public.entries", "anonymous"): {"page", "type", "theme", "municipality", "year", "norm_status"},
              ("api.search", "anonymous"): {"q", "sort", "page", "per_page"},
              ("moderate.diff", "admin"): {"a", "b"},
              ("moderate.queue", "admin"): {"type", "state", "theme", "age"},
              ("i18n.switch", "anonymous"): {"next"}}
SHARES = 8  # the routes in SHARES tests (both roles each), so no single test keeps one worker busy at the end of a run


def test_every_path_part_has_samples_and_every_discovery_route_exists(fuzz_app):
    missing = {a for r in get_rules(fuzz_app) for a in r.arguments} - set(PATH_SAMPLES)
    assert not missing, f"add a sample value for the path parts {missing}"
    assert {endpoint for endpoint, _role in DISCOVERED} <= {r.endpoint for r in get_rules(fuzz_app)}


@pytest.mark.slow
@pytest.mark.parametrize("share", range(SHARES))
def test_no_route_answers_500_to_any_parameter(fuzz_app, share):
    found: dict[tuple[str, str], set] = {}
    for rule in get_rules(fuzz_app)[share::SHARES]:  # the shares together are every GET route
        answered: dict = {}  # the route's hostile probes the view answered anonymously
        for role in EXAMPLES:  # anonymous first
            names: set = set()
            sent: dict = {}
            for _round in range(ROUNDS):
                more = fuzz_route(fuzz_app, rule, role, names, sent, answered)
                # A round with the names the last one had would repeat it request for request (requests
                # are kept, the examples derandomized): stop at the first round that found nothing new,
                # the first one too (a route that reads no parameter was fuzzed twice alike).
                if more == names:
                    break
                names = more
            found[(rule.endpoint, role)] = names
    for key in DISCOVERED.keys() & found.keys():
        assert DISCOVERED[key] <= found[key], key


@pytest.mark.parametrize("path", ["/entries", "/themes/tyollisyys", "/municipalities/205", "/search",
                                  "/feeds/search.atom"])
@pytest.mark.parametrize("page", ["9223372036854775808", "²", "0", "-1", "10001"])
def test_a_page_number_out_of_bounds_is_the_400_page(module_client, path, page):
    """On the module's shared app (these only read; each test had a database and app of its own)."""
    response = module_client.get(f"{path}?page={page}")
    assert response.status_code == 400 and "kokonaisluku väliltä 1–10000" in response.text


@pytest.mark.parametrize("query", ["page=9223372036854775808", "per_page=²", "year=１９９９", "municipality=%00"])
def test_the_api_answers_a_json_400(module_client, query):
    response = module_client.get(f"/api/v1/entries?{query}")
    assert response.status_code == 400 and response.get_json()["status"] == 400


def test_an_id_in_the_path_past_an_integer_column_is_404(app, app_session):
    app.config["WTF_CSRF_ENABLED"] = False
    admin = accounts.add_user(app_session, email="admin@kuntaliitto.fi", role=Role.admin, password=PASSWORD)
    app_session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = admin.get_id()
    for path in ("/admin/users/9223372036854775808", "/admin/organisations/99999999999",
                 "/admin/memberships/2147483648/approve"):
        assert client.post(path, data={"role": "member"}).status_code == 404, path
