"""The realistic mix of bench/load.py: a long tail of URLs over the whole bank, and a change a minute.

Readers and crawlers of a 20,000-entry bank do not ask for the same 300 pages: a few pages are
popular and most are asked for once in a long while. Each kind of page gets a Zipf (1/rank)
popularity over ALL its URLs (every entry, every listing page, thousands of searches), the kinds
mixed by SHARES, and every request is drawn at random from that distribution. Meanwhile
Publisher edits a published entry every so often through the domain path an import takes
(entries.save_document, commit, index catch-up), so the site's version moves and every page
cache starts over, as it does on a live bank where moderators publish.
"""

from __future__ import annotations

import random
import re
import sqlite3
import threading
from pathlib import Path
from urllib.parse import quote

SHARES = {"entry": 0.55, "browse": 0.25, "search": 0.15, "api": 0.05}
CHANGE_EVERY_S = 60.0
PER_PAGE = 20
SEARCHES = 4000  # distinct searches in the mix


def _zipf(count: int) -> list[float]:
    total = sum(1.0 / rank for rank in range(1, count + 1))
    return [1.0 / (rank * total) for rank in range(1, count + 1)]


def mix(instance: Path, search_words: list[str], rng: random.Random) -> tuple[list[str], list[float], dict]:
    """(paths, weights, URLs per kind): every published entry, every listing page, many searches."""
    db = sqlite3.connect(instance / "ideapankki.db")
    try:
        slugs = [r[0] for r in db.execute("SELECT slug FROM entry WHERE state = 'published' ORDER BY id")]
        titles = [r[0] for r in db.execute("SELECT title FROM entry WHERE state = 'published'")]
        by_type = dict(db.execute("SELECT type, count(*) FROM entry WHERE state = 'published' GROUP BY type"))
        themes = [r[0] for r in db.execute("SELECT slug FROM theme")]
        places = [r[0] for r in db.execute("SELECT DISTINCT municipality_code FROM entry_municipality")]
    finally:
        db.close()
    rng.shuffle(slugs)  # popularity has nothing to do with age
    pages = lambda n: range(1, max(1, -(-n // PER_PAGE)) + 1)  # noqa: E731
    firsts = ["/entries"] + [f"/entries?type={t}" for t in by_type] + [f"/themes/{t}" for t in themes]
    firsts += [f"/municipalities/{code}" for code in places]
    rng.shuffle(firsts)
    later = [f"/entries?page={p}" for p in pages(len(slugs))][1:]
    later += [f"/entries?type={t}&page={p}" for t, n in by_type.items() for p in pages(n)][len(by_type):]
    later.sort(key=lambda url: int(url.rsplit("=", 1)[1]))  # page 2s before page 3s…
    words = list(search_words)
    while len(words) < SEARCHES:
        title_words = [w for w in re.findall(r"\w+", rng.choice(titles).lower()) if len(w) > 4]
        if title_words:
            words.append(" ".join(rng.sample(title_words, min(len(title_words), rng.choice((1, 1, 2))))))
    kinds = {
        "entry": [f"/entries/{s}" for s in slugs],
        "browse": firsts + later,
        "search": [f"/search?q={quote(w)}" for w in words],
        "api": [f"/api/v1/search?q={quote(w)}" for w in words],
    }
    paths, weights = [], []
    for kind, urls in kinds.items():
        paths += urls
        weights += [SHARES[kind] * w for w in _zipf(len(urls))]
    return paths, weights, {kind: len(urls) for kind, urls in kinds.items()}


class Publisher(threading.Thread):
    """Edits a published entry's title every INTERVAL seconds while running (domain path, commit,
    index catch-up, as `ideapankki import` does); puts every title back when stopped."""

    def __init__(self, instance: Path, interval: float, rng: random.Random):
        super().__init__(daemon=True)
        self.instance, self.interval, self.rng = instance, interval, rng
        self.changes, self.stop_event = 0, threading.Event()
        self._originals: dict[str, object] = {}

    def run(self) -> None:
        from ideapankki.db import create_db_engine
        from ideapankki.search import SearchIndex

        engine = create_db_engine(f"sqlite:///{self.instance / 'ideapankki.db'}")
        index = SearchIndex(self.instance / "search", engine)
        with_slugs = sqlite3.connect(self.instance / "ideapankki.db")
        slugs = [r[0] for r in with_slugs.execute("SELECT slug FROM entry WHERE state = 'published'")]
        with_slugs.close()
        try:
            while not self.stop_event.wait(self.interval):
                slug = self.rng.choice(slugs)
                self._save(engine, slug, lambda doc: doc.title + f" – muutos {self.changes + 1}")
                index.catch_up()
                self.changes += 1
        finally:
            for slug in list(self._originals):
                self._save(engine, slug, None)
            index.catch_up()
            engine.dispose()

    def _save(self, engine, slug: str, retitle) -> None:
        from sqlmodel import Session

        from ideapankki.entries import get_by_slug, save_document, to_document
        from ideapankki.reference import MunicipalityIndex

        with Session(engine) as session:
            doc = to_document(get_by_slug(session, slug))
            original = self._originals.setdefault(slug, doc.title)
            doc.title = retitle(doc) if retitle else original
            if not retitle:
                del self._originals[slug]
            places = MunicipalityIndex.from_session(session)
            save_document(session, doc, [places.resolve(m) for m in doc.municipalities])
            session.commit()

    def stop(self) -> None:
        self.stop_event.set()
        self.join()


def change_interval(duration: float) -> float:
    """A change a minute; in shorter runs as often as gives two changes a run. Not duration / 2: the
    second change would fall on the run's last instant and race its stop (a 60 s run counted one)."""
    return min(CHANGE_EVERY_S, max(1.0, duration / 2.5))

