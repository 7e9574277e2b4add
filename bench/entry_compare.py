"""Entry pages of two versions of the code, written to files to diff: a change meant to keep them byte-identical.

    cp -a bench/.cache/load-20000 /tmp/cmp            # a copy: --accounts writes into it
    git worktree add --detach /tmp/old-code <rev>
    IDEAPANKKI_INSTANCE=/tmp/cmp/instance python bench/entry_compare.py --accounts /tmp/pages-new
    cd /tmp/old-code && IDEAPANKKI_INSTANCE=/tmp/cmp/instance PYTHONPATH=/tmp/old-code \\
        python bench/entry_compare.py /tmp/pages-old   # this script from the old tree, or a copy of it
    diff -r /tmp/pages-old /tmp/pages-new

Fetched in process (the production app, site_app): the first 300 of load.py's entry URLs, each in fi, sv or en
(?lang=, an Accept-Language of sv on every seventh), 30 of them without ?lang=, every published
seed entry in all three languages, a few unpublished entries and a missing one; then, logged in as
an author (of 55 entries, in an organisation: the edit link and the adoption form) and as a
moderator (the norm status form, the header's counts), the seed entries, 25 of the author's and 10
others. Each file holds the status, the content type and the body, CSRF tokens replaced by TOKEN.
--accounts adds the two accounts and the authorship to the instance first (once; run it on the
copy both versions read). IDEAPANKKI_PUBLIC_URL and IDEAPANKKI_SECRET_KEY as for load.py.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402

PASSWORD = "kuusi sanaa kulkee kauas"
AUTHOR, MODERATOR = "author@example.fi", "mod@example.fi"
LANGUAGES = ("fi", "sv", "en")
CSRF = re.compile(r'(name="csrf_token"(?: type="hidden")? value="|id="csrf_token" name="csrf_token" '
                  r'type="hidden" value=")[^"]+')


def add_accounts(instance: Path) -> None:
    """A moderator, and a member of the first organisation who wrote 55 published entries."""
    from sqlmodel import Session, select

    from ideapankki import accounts
    from ideapankki.db import create_db_engine
    from ideapankki.models import Entry, Organisation, Role

    with Session(create_db_engine(f"sqlite:///{instance / 'ideapankki.db'}")) as session:
        if accounts.get_by_email(session, MODERATOR) is not None:
            return
        organisation = session.exec(select(Organisation).order_by(Organisation.id)).first()
        accounts.add_user(session, email=MODERATOR, role=Role.moderator, password=PASSWORD, name="Moderaattori <M>")
        author = accounts.add_user(session, email=AUTHOR, role=Role.member, password=PASSWORD, name="Author & Co",
                                   organisation=organisation)
        ids = [entry.id for entry in session.exec(select(Entry).where(Entry.state == "published").order_by(Entry.id))]
        chosen = set(random.Random(3).sample(ids, 40) + ids[:15])
        for entry in session.exec(select(Entry).where(Entry.id.in_(chosen))):
            entry.author_id = author.id
        session.commit()


def urls(instance: Path) -> tuple[list[str], list[str]]:
    """(anonymous URLs, logged-in URLs)."""
    sampled = [url.rsplit("/", 1)[1] for url in load.url_sets(instance, random.Random(7))["entry"][:300]]
    db = sqlite3.connect(instance / "ideapankki.db")
    try:
        seed = [r[0] for r in db.execute("SELECT slug FROM entry WHERE state = 'published' AND slug NOT LIKE "
                                         "'bench-%' ORDER BY id")]
        mine = [r[0] for r in db.execute("SELECT e.slug FROM entry e JOIN account a ON a.id = e.author_id WHERE "
                                         "a.email = ? AND e.state = 'published' ORDER BY e.id", (AUTHOR,))]
        hidden = [r[0] for r in db.execute("SELECT slug FROM entry WHERE state <> 'published' ORDER BY id LIMIT 5")]
    finally:
        db.close()
    anonymous = [f"/entries/{s}?lang={LANGUAGES[i % 3]}" for i, s in enumerate(sampled)]
    anonymous += [f"/entries/{s}" for s in sampled[:30]] + [f"/entries/{s}?lang={l}" for s in seed for l in LANGUAGES]
    anonymous += [f"/entries/{s}" for s in hidden] + ["/entries/no-such-entry"]
    logged_in = [f"/entries/{s}?lang={LANGUAGES[i % 3]}" for i, s in enumerate(seed + mine[:25] + sampled[:10])]
    return anonymous, logged_in


def fetch(client, who: str, paths: list[str], out: Path) -> None:
    for index, path in enumerate(paths):
        response = client.get(path, headers={"Accept-Language": "sv" if index % 7 == 0 else "fi"})
        name = who + "_" + re.sub(r"[^a-zA-Z0-9_-]", "_", path)
        body = CSRF.sub(r"\1TOKEN", response.get_data(as_text=True))
        (out / name).write_text(f"{response.status_code} {response.headers.get('Content-Type')}\n{body}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="folder for the pages (made if absent)")
    parser.add_argument("--accounts", action="store_true", help="add the author and moderator first")
    args = parser.parse_args()
    instance = Path(os.environ["IDEAPANKKI_INSTANCE"])
    if args.accounts:
        add_accounts(instance)
    args.out.mkdir(parents=True, exist_ok=True)
    from sqlmodel import Session

    from ideapankki import accounts
    from ideapankki.web.database import ENGINE_KEY
    from ideapankki.web.serving.server import site_app, start_voikko

    start_voikko()
    app = site_app()
    anonymous, logged_in = urls(instance)
    fetch(app.test_client(), "anon", anonymous, args.out)
    for who, email in (("author", AUTHOR), ("mod", MODERATOR)):
        client = app.test_client()
        with Session(app.extensions[ENGINE_KEY]) as session:
            user_id = accounts.get_by_email(session, email).get_id()
        with client.session_transaction() as flask_session:
            flask_session["_user_id"], flask_session["_fresh"] = user_id, True
        fetch(client, who, logged_in, args.out)
    print(f"{len(anonymous) + 2 * len(logged_in)} pages in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
