"""Rate limits that hold across workers: log-in throttling and new entries per account per hour.

Two create_app instances on one SQLite file stand for two workers; a subprocess for another process.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ideapankki import login

from clients import log_in, post_form, sign_in

IDEA = {"title": "Kirjastoauto kylille", "summary": "Kirjastoauto kiertää kylissä viikoittain.",
        "body": "## Tausta\n\nKylissä ei ole kirjastoa.", "language": "fi", "municipalities": "Kajaani",
        "tags": "kirjasto", "origin": "Kuntamarkkinat 2022", "links": "", "do": "save"}
TOO_MANY = {"fi": "Olet aloittanut", "sv": "Du har påbörjat", "en": "You have started"}
WRONG = "väärä salasana aina"


def new_idea(client, lang="fi", **changes):
    return post_form(client, f"/new/idea?lang={lang}", {**IDEA, **changes})


@pytest.mark.parametrize("lang", sorted(TOO_MANY))
def test_the_form_answers_429_and_keeps_what_was_typed(app, client, member, lang):
    app.config["SUBMISSIONS_PER_HOUR"] = 2
    sign_in(client)
    for i in range(2):
        assert new_idea(client, title=f"Idea {i}").status_code == 302
    response = new_idea(client, lang, title="Kolmas idea jää odottamaan")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 3000
    html = response.text
    assert TOO_MANY[lang] in html
    assert 'value="Kolmas idea jää odottamaan"' in html and IDEA["summary"] in html and "Kylissä ei ole" in html


def test_previews_and_edits_do_not_count_as_new_entries(app, client, member):
    app.config["SUBMISSIONS_PER_HOUR"] = 1
    sign_in(client)
    saved = new_idea(client)
    assert saved.status_code == 302
    assert new_idea(client, do="preview").status_code == 200
    assert post_form(client, saved.headers["Location"], {**IDEA, "title": "Muokattu"}).status_code == 302


def test_the_submission_limit_holds_across_workers(app, client, member, another_worker):
    app.config["SUBMISSIONS_PER_HOUR"] = 3
    other_app = another_worker()
    other_app.config["SUBMISSIONS_PER_HOUR"] = 3
    other = other_app.test_client()
    sign_in(client), sign_in(other)
    for i, worker in enumerate((client, other, client)):
        assert new_idea(worker, title=f"Idea {i}").status_code == 302
    assert new_idea(other, title="Neljäs").status_code == 429
    assert new_idea(client, title="Viides").status_code == 429


def test_login_throttling_holds_across_workers(app, client, member, another_worker):
    other = another_worker().test_client()
    for i in range(login.MAX_FAILURES_PER_ACCOUNT):
        assert log_in((client, other)[i % 2], password=WRONG).status_code == 200
    assert log_in(other).status_code == 429  # the right password, guarded: it gets a mailed link instead
    assert log_in(client).status_code == 429


WORKER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    from clients import log_in
    from ideapankki import create_app
    app = create_app({{"TESTING": True, "INSTANCE_DIR": {instance!r}, "DATABASE_URL": {url!r},
                      "SECRET_KEY": "test-secret"}})
    client = app.test_client()
    print(",".join(str(log_in(client, password={wrong!r}).status_code) for _ in range({times})))
""")


def test_login_throttling_holds_across_processes(app, client, member):
    """Three failures in another process and two here use up the account's five."""
    script = WORKER.format(tests=str(Path(__file__).parents[1]), instance=str(app.config["INSTANCE_DIR"]),
                           url=app.config["DATABASE_URL"], wrong=WRONG, times=3)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "200,200,200"
    for _ in range(2):
        assert log_in(client, password=WRONG).status_code == 200
    assert log_in(client).status_code == 429
