"""The JSON API: published data only, the documented shapes, and schemathesis over every operation."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from sqlmodel import Session
from werkzeug.serving import make_server

from factories import make_entry, make_programme
from ideapankki import create_app
from ideapankki.models import EntryState
from ideapankki.web.database import ENGINE_KEY
from ideapankki import close_app
from ideapankki.web.serving import dev_server

UNPUBLISHED = [EntryState.draft, EntryState.submitted, EntryState.in_review, EntryState.returned,
               EntryState.rejected, EntryState.archived]


def _fill(session: Session) -> None:
    make_programme(session, "tyollisyys", title="Työllisyyden kuntakokeilut 2021–2023", municipalities=["Kajaani"],
                   law_title="Laki työllisyyden edistämisen kuntakokeilusta", law_number="1269/2020",
                   law_confirmed=date(2020, 12, 30), areas=25, participants_total=118,
                   links=[{"title": "TEM", "url": "https://tem.fi/tyollisyyskokeilut"}])
    make_entry(session, "omavalmentaja", programme="tyollisyys", title="Omavalmentaja työnhakijalle", municipalities=["Kajaani"],
               themes=["tyollisyys"], tags=["valmennus"], published=date(2022, 2, 24),
               laws=[{"title": "Laki työllisyyden edistämisen kuntakokeilusta", "number": "1269/2020"}],
               contacts=[{"name": "Maija Meikäläinen", "role": "projektipäällikkö", "email": "maija@example.fi"}],
               links=[{"title": "Kokeilun sivu", "url": "https://example.fi/kokeilu"}],
               period_start=date(2021, 3, 1), period_end=date(2023, 6, 30), trial_status="ended")
    make_entry(session, "pikkuleijonat", type="idea", title="Pikkuleijonat", municipalities=["Vaasa", "Helsinki"],
               themes=["nuoret", "koulutus"], published=date(2022, 5, 25))
    make_entry(session, "kelpoisuus", type="norm", title="Kelpoisuusvaatimusten keventäminen",
               municipalities=["Helsinki"], themes=["koulutus"], published=date(2023, 1, 10),
               proposal={"action": "loosen", "justification": "Pula opettajista."},
               laws=[{"title": "Varhaiskasvatuslaki", "number": "540/2018", "section": "26 §"}])
    for state in UNPUBLISHED:
        make_entry(session, f"salainen-{state.value}", state=state, title=f"Salainen {state.value}",
                   municipalities=["Kajaani"], themes=["tyollisyys"])


@pytest.fixture(scope="module")
def api_app(tmp_path_factory, module_databases):
    root = tmp_path_factory.mktemp("api")
    app = create_app({"TESTING": True, "INSTANCE_DIR": root / "instance", "DATABASE_URL": module_databases.fresh(),
                      "SECRET_KEY": "test-secret", "PER_PAGE": 5, "SERVER_NAME": "localhost"})
    with Session(app.extensions[ENGINE_KEY], expire_on_commit=False) as session:
        _fill(session)
    yield app
    close_app(app)


@pytest.fixture(scope="module")
def api(api_app):
    return api_app.test_client()


@pytest.fixture(scope="module")
def api_schema(api_app, db_kind):
    """The API document for the walk, on PostgreSQL: on SQLite schemathesis walks the API as a command
    (test_schemathesis_with_every_check_finds_nothing, every check and phase, 'Tested: 9' operations)."""
    if db_kind == "sqlite":
        pytest.skip("SQLite's walk is test_schemathesis_with_every_check_finds_nothing's (every check and phase)")
    import schemathesis  # here, not at collection: ~1 s of imports, paid by the one worker that walks the API

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)


OPERATIONS = ["listEntries", "getEntry", "search", "similar", "listMunicipalities", "listThemes", "statistics",
              "listProgrammes", "getProgramme"]


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_every_operation_answers_as_documented(api_schema, operation_id):
    """Schemathesis generates requests for the operation; every response must match the document.

    (Its own pytest plugin does not run under pytest 9, so the operations are walked here.)
    On PostgreSQL (api_schema): SQLite's answers are walked by test_schemathesis_with_every_check_finds_nothing,
    every operation with every check (this one's among them), in every phase, documented requests too.
    """
    operation = api_schema.find_operation_by_id(operation_id)

    @given(case=operation.as_strategy())
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        case.call_and_validate()

    check()


def test_the_schemathesis_walk_covers_every_documented_operation(api_schema):
    ids = {result.ok().definition.raw["operationId"] for result in api_schema.get_all_operations()}
    assert ids == set(OPERATIONS)


def test_openapi_document_describes_every_api_route(api_app, api):
    document = api.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    documented = {"/api/v1" + path for path in document["paths"]}
    routes = {rule.rule.replace("<slug>", "{slug}") for rule in api_app.url_map.iter_rules()
              if rule.rule.startswith("/api/v1/") and rule.rule != "/api/v1/openapi.json"}
    assert routes == documented


def test_entries_lists_published_only_newest_first(api):
    body = api.get("/api/v1/entries").get_json()
    assert [r["slug"] for r in body["results"]] == ["kelpoisuus", "pikkuleijonat", "omavalmentaja"]
    assert body["total"] == 3 and body["pages"] == 1
    assert {f["value"]: f["count"] for f in body["facets"]["type"]} == {"practice": 1, "idea": 1, "norm": 1}


def test_entries_filters_and_pages_like_browse(api):
    body = api.get("/api/v1/entries?theme=koulutus&per_page=1&page=2").get_json()
    assert body["total"] == 2 and body["pages"] == 2 and [r["slug"] for r in body["results"]] == ["pikkuleijonat"]
    assert api.get("/api/v1/entries?municipality=091").get_json()["total"] == 2  # Helsinki


@pytest.mark.parametrize("query", ["type=nonsense", "theme=x", "municipality=999", "year=abc", "page=0",
                                   "per_page=1000", "region=XX"])
def test_bad_parameters_get_a_json_400(api, query):
    response = api.get(f"/api/v1/entries?{query}")
    assert response.status_code == 400 and response.get_json()["error"]


def test_entry_detail_has_every_public_field(api):
    body = api.get("/api/v1/entries/omavalmentaja").get_json()
    assert body["municipalities"][0]["name_fi"] == "Kajaani" and body["themes"] == ["tyollisyys"]
    assert body["laws"] == [{"title": "Laki työllisyyden edistämisen kuntakokeilusta", "number": "1269/2020",
                             "section": None}]
    assert body["period"] == {"start": "2021-03-01", "end": "2023-06-30"} and body["trial_status"] == "ended"
    assert body["url"] == "http://localhost/entries/omavalmentaja" and body["proposal"] is None
    norm = api.get("/api/v1/entries/kelpoisuus").get_json()
    assert norm["proposal"]["action"] == "loosen" and norm["proposal"]["justification"] == "Pula opettajista."


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_unpublished_entries_do_not_exist_in_the_api(api, state):
    response = api.get(f"/api/v1/entries/salainen-{state.value}")
    assert response.status_code == 404 and response.get_json()["status"] == 404
    assert f"salainen-{state.value}" not in api.get("/api/v1/entries?per_page=100").get_data(as_text=True)


def test_municipalities_count_published_entries(api):
    rows = {m["code"]: m for m in api.get("/api/v1/municipalities").get_json()["results"]}
    assert rows["205"]["entries"] == 1  # Kajaani: one published, six unpublished not counted
    assert rows["091"]["entries"] == 2 and rows["905"]["name_sv"] == "Vasa"


def test_themes_are_named_in_three_languages(api):
    themes = {t["slug"]: t for t in api.get("/api/v1/themes").get_json()["results"]}
    assert themes["tyollisyys"]["name_fi"] == "Työllisyys" and themes["tyollisyys"]["name_sv"] == "Sysselsättning"
    assert themes["tyollisyys"]["name_en"] == "Employment" and themes["tyollisyys"]["entries"] == 1
    assert themes["koulutus"]["entries"] == 2


def test_unknown_api_address_answers_json(api):
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.fixture(scope="module")
def live_api(tmp_path_factory, module_databases):
    """The API served over HTTP on 127.0.0.1 (a thread), as the outside probe reached it."""
    root = tmp_path_factory.mktemp("live-api")
    app = create_app({"TESTING": True, "INSTANCE_DIR": root / "instance", "DATABASE_URL": module_databases.fresh(),
                      "SECRET_KEY": "test-secret", "PER_PAGE": 5})
    with Session(app.extensions[ENGINE_KEY], expire_on_commit=False) as session:
        _fill(session)
    server = make_server("127.0.0.1", 0, dev_server.closing(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-api", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    close_app(app)


@pytest.mark.slow
@pytest.mark.sqlite_only("what it adds to the walk above (methods, negative data, missing parameters) is "
                         "decided before any query; PostgreSQL's share is the walk's and the parameter fuzz's")
def test_schemathesis_with_every_check_finds_nothing(live_api, tmp_path):
    """`schemathesis run --checks all`, every phase, both modes: the command the probe ran (issue #13).

    It covers what the in-process walk above does not: undeclared methods (405 with Allow),
    negative data (a blank enum value must be refused), missing parameters; and on SQLite it is the walk
    (documented requests: its coverage phase's boundary values and 20 fuzzed an operation). A fixed seed,
    deterministic generation (no example database) keep it the same run every time.
    On SQLite only (13 s a run): those answers come from routing and parameter checks, before the
    database is asked. What a database can add, a value one driver refuses and the other takes, is
    tried on both: the documented requests by this run and, on PostgreSQL, the walk above
    (test_every_operation_answers_as_documented),
    hostile values (numbers past 64 bits, Unicode digits, controls, blanks) on every parameter of
    every GET route by tests/security/test_parameter_fuzz.py.
    """
    command = [str(Path(sys.executable).with_name("schemathesis")), "run", f"{live_api}/api/v1/openapi.json",
               "--checks", "all", "--mode", "all", "--seed", "13", "--generation-deterministic",
               "--max-examples", "20", "--workers", "1", "--no-color"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert f"Tested: {len(OPERATIONS)}" in run.stdout, run.stdout[-3000:]


def test_unsupported_method_is_405_with_allow(api):
    response = api.post("/api/v1/entries")
    assert response.status_code == 405 and set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD", "OPTIONS"}
    assert response.get_json()["status"] == 405


@pytest.mark.parametrize("query", ["type=", "theme=", "year=", "page=", "sort=", "municipality=&type=idea"])
def test_blank_enum_and_number_values_are_refused_as_documented(api, query):
    path = "/api/v1/search" if "sort" in query else "/api/v1/entries"
    response = api.get(f"{path}?{query}")
    assert response.status_code == 400 and "must not be empty" in response.get_json()["error"]
