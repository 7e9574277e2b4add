"""Search pages and API answers of two versions of the code, written to files to diff: a change to the
search engine or its web layer meant to keep them byte-identical (ids, order, highlights, facet counts).

    cp -a bench/.cache/load-20000 /tmp/cmp            # a copy: --accounts writes into it
    git worktree add --detach /tmp/old-code <rev>
    IDEAPANKKI_INSTANCE=/tmp/cmp/instance python bench/search_compare.py --accounts /tmp/search-new
    IDEAPANKKI_INSTANCE=/tmp/cmp/instance PYTHONPATH=/tmp/old-code python bench/search_compare.py /tmp/search-old
    diff -r /tmp/search-old /tmp/search-new

Fetched in process (the production app, site_app): the first QUERIES distinct searches of bench/mix.py's
long tail (load.py's words, then two title words or one), each as the search page and as the API's
answer, in fi, sv or en by turns; every tenth with a filter (type, theme, municipality), every
seventh sorted newest first, every thirteenth its second page; then 40 of them logged in as an author
(the page's templates branch on a signed-in reader; the search reads through a session). Each file
holds the status, the content type and the body. The script prints which ideapankki it ran
(PYTHONPATH puts the old tree first). IDEAPANKKI_PUBLIC_URL and IDEAPANKKI_SECRET_KEY as for load.py.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402
import mix  # noqa: E402
from entry_compare import AUTHOR, CSRF, add_accounts  # noqa: E402

LANGUAGES = ("fi", "sv", "en")


def urls(instance: Path, queries: int) -> tuple[list[str], list[str]]:
    """(anonymous URLs, logged-in URLs)."""
    paths, _weights, _counts = mix.mix(instance, load.SEARCH_WORDS, random.Random(11))
    words = list(dict.fromkeys(p.split("?q=", 1)[1] for p in paths if p.startswith("/search?q=")))[:queries]
    db = sqlite3.connect(instance / "ideapankki.db")
    try:
        themes = [r[0] for r in db.execute("SELECT slug FROM theme ORDER BY slug")]
        places = [r[0] for r in db.execute("SELECT DISTINCT municipality_code FROM entry_municipality "
                                           "ORDER BY municipality_code LIMIT 20")]
    finally:
        db.close()
    filters = ["&type=practice", "&type=idea"] + [f"&theme={t}" for t in themes[:6]] + [f"&municipality={m}"
                                                                                       for m in places[:6]]
    anonymous = []
    for i, word in enumerate(words):
        extra = f"&lang={LANGUAGES[i % 3]}"
        if i % 10 == 0:
            extra += filters[(i // 10) % len(filters)]
        if i % 7 == 0:
            extra += "&sort=newest"
        if i % 13 == 0:
            extra += "&page=2"
        anonymous += [f"/search?q={word}{extra}", f"/api/v1/search?q={word}{extra}"]
    anonymous += ["/search", "/api/v1/search", "/search?q=", "/search?q=zzqxv", "/api/v1/search?q=zzqxv"]
    logged_in = [u for u in anonymous[:80] if u.startswith("/search")] + anonymous[1:80:4]
    return anonymous, logged_in


def fetch(client, who: str, paths: list[str], out: Path) -> None:
    for index, path in enumerate(paths):
        response = client.get(path, headers={"Accept-Language": "sv" if index % 7 == 0 else "fi"})
        name = f"{who}_{index:05d}_{hashlib.sha1(path.encode()).hexdigest()[:10]}"
        body = CSRF.sub(r"\1TOKEN", response.get_data(as_text=True))
        (out / name).write_text(f"{path}\n{response.status_code} {response.headers.get('Content-Type')}\n{body}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="folder for the pages (made if absent)")
    parser.add_argument("--queries", type=int, default=600, help="distinct searches (each a page and an answer)")
    parser.add_argument("--accounts", action="store_true", help="add entry_compare's author and moderator first")
    args = parser.parse_args()
    instance = Path(os.environ["IDEAPANKKI_INSTANCE"])
    if args.accounts:
        add_accounts(instance)
    args.out.mkdir(parents=True, exist_ok=True)
    from sqlmodel import Session

    import ideapankki
    from ideapankki import accounts
    from ideapankki.web.database import ENGINE_KEY
    from ideapankki.web.serving.server import site_app, start_voikko

    print(f"ideapankki from {ideapankki.__file__}", file=sys.stderr)
    start_voikko()
    app = site_app()
    anonymous, logged_in = urls(instance, args.queries)
    fetch(app.test_client(), "anon", anonymous, args.out)
    client = app.test_client()
    with Session(app.extensions[ENGINE_KEY]) as session:
        user_id = accounts.get_by_email(session, AUTHOR).get_id()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"], flask_session["_fresh"] = user_id, True
    fetch(client, "author", logged_in, args.out)
    print(f"{len(anonymous) + len(logged_in)} answers in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
