"""Relevance evaluation of the search over the seed content and the test corpus (tests/search/corpus).

The set (relevance.yaml) grades each query's entries: 2 = about the topic, 1 = partly; a plain list
means every entry is 2. `negatives` are hard negatives: entries that share a word of the query but not
its meaning. Metrics, over the first ten results of each query:

- recall@10: relevant entries found / min(relevant, 10) (a query with more than ten can still score 1);
- nDCG@10: graded gain (2^grade - 1) discounted by log2(rank + 1), over the ideal ordering;
- P@5: relevant entries among the first five / min(relevant, 5);
- zero: the query found nothing at all;
- neg: a hard negative ranks above an entry graded 2 (or one of them is missing from the ten).

Systems: "ours" (the site's search with the Voikko analysis), "snowball" (the same engine with the
Snowball stemmer for Finnish) and "postgres" (PostgreSQL's `finnish` full-text search over the same
entries: title weight A, summary and tags B, body D; any word of the query matches, ts_rank orders).
Used by tests/search/test_relevance.py (floors) and bench/relevance.py (the table).
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from ideapankki.db import create_db_engine, session_scope
from ideapankki.exchange import import_path
from ideapankki.migrate import init_database
from ideapankki.search import SearchIndex

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
RELEVANCE_FILE = HERE / "relevance.yaml"
SOURCES = (PROJECT / "content", HERE / "corpus")
K = 10
POSTGRES_URL_VARIABLE = "IDEAPANKKI_TEST_POSTGRES_URL"


@dataclass
class Scores:
    queries: int
    recall_at_k: float
    ndcg: float
    p_at_5: float
    zero_hits: int
    negatives_above: float  # share of the queries with hard negatives where one outranks a grade-2 entry
    mrr: float


@dataclass
class Row:
    case: dict
    ranking: list[str]
    total: int


def load_cases() -> list[dict]:
    with RELEVANCE_FILE.open(encoding="utf-8") as fh:
        cases = yaml.safe_load(fh)
    for case in cases:
        relevant = case["relevant"]
        case["grades"] = dict(relevant) if isinstance(relevant, dict) else {slug: 2 for slug in relevant}
        case.setdefault("negatives", [])
    return cases


def import_corpus(workdir: Path, template: Path | None = None):
    """A fresh SQLite database under WORKDIR with the seed content and the test corpus, published.

    TEMPLATE: a SQLite file init_database made (the test session's migrated template, tests/databases.py),
    copied instead of migrating from nothing (~2 s; bench/relevance.py has none and migrates)."""
    path = workdir / "relevance.db"
    if template is not None:
        shutil.copy(template, path)
    engine = create_db_engine(f"sqlite:///{path}")
    if template is None:
        init_database(engine)
    for source in SOURCES:
        with session_scope(engine) as session:
            import_path(session, source, publish=True)
    return engine


def search_function(index: SearchIndex):
    def run(query: str) -> tuple[list[str], int]:
        response = index.search(query, per_page=K)
        return [hit.slug for hit in response.hits], response.total
    return run


def case_scores(case: dict, ranking: list[str], total: int) -> tuple[float, float, float, float, bool | None]:
    """(recall@10, nDCG@10, P@5, reciprocal rank, negative above a grade-2 entry or None) of one query."""
    grades, top = case["grades"], ranking[:K]
    found = [slug for slug in top if slug in grades]
    recall = len(found) / min(len(grades), K)
    dcg = sum((2 ** grades.get(slug, 0) - 1) / math.log2(i + 2) for i, slug in enumerate(top))
    ideal = sorted(grades.values(), reverse=True)[:K]
    ndcg = dcg / sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    precision = sum(1 for slug in top[:5] if slug in grades) / min(len(grades), 5)
    reciprocal = next((1 / (i + 1) for i, slug in enumerate(top) if slug in grades), 0.0)
    negative_above = None
    if case["negatives"]:
        best = [slug for slug, g in grades.items() if g == 2]
        lowest = max((top.index(s) if s in top else K for s in best), default=-1)
        negative_above = any(n in top and top.index(n) < lowest for n in case["negatives"])
    return recall, ndcg, precision, reciprocal, negative_above


def evaluate(run, cases: list[dict]) -> tuple[Scores, dict[str, Scores], list[Row]]:
    """Overall scores, scores per kind, and each case with its ranking, for RUN(query) -> (slugs, total)."""
    per_kind: dict[str, list] = defaultdict(list)
    rows = []
    for case in cases:
        ranking, total = run(case["query"])
        values = (*case_scores(case, ranking, total), total == 0)
        per_kind[case["kind"]].append(values)
        per_kind["all"].append(values)
        rows.append(Row(case, ranking, total))

    def scores(values) -> Scores:
        n = len(values)
        judged = [v[4] for v in values if v[4] is not None]
        return Scores(n, sum(v[0] for v in values) / n, sum(v[1] for v in values) / n,
                      sum(v[2] for v in values) / n, sum(1 for v in values if v[5]),
                      sum(judged) / len(judged) if judged else 0.0, sum(v[3] for v in values) / n)

    kinds = {kind: scores(values) for kind, values in per_kind.items()}
    return kinds.pop("all"), kinds, rows


def postgres_function(engine, url: str):
    """A RUN function over PostgreSQL's `finnish` text search of ENGINE's published entries."""
    import sqlalchemy as sa

    from ideapankki.models import Entry
    from ideapankki.search.schema import plain_text

    with session_scope(engine) as session:
        docs = [{"slug": e.slug, "title": e.title, "summary": e.summary + " " + " ".join(e.tags),
                 "body": plain_text(e.body_html)} for e in session.scalars(sa.select(Entry))]
    pg = sa.create_engine(url, poolclass=sa.pool.StaticPool)
    connection = pg.connect()
    connection.execute(sa.text("CREATE TEMP TABLE relevance_docs (slug text, doc tsvector)"))
    connection.execute(sa.text(
        "INSERT INTO relevance_docs SELECT :slug, setweight(to_tsvector('finnish', :title), 'A') || "
        "setweight(to_tsvector('finnish', :summary), 'B') || setweight(to_tsvector('finnish', :body), 'D')"), docs)

    def run(query: str) -> tuple[list[str], int]:
        text = connection.execute(sa.text("SELECT plainto_tsquery('finnish', :q)::text"), {"q": query}).scalar()
        if not text:
            return [], 0
        any_word = text.replace(" & ", " | ")
        rows = connection.execute(sa.text(
            "SELECT slug, count(*) OVER () FROM relevance_docs, to_tsquery('finnish', :q) q WHERE doc @@ q "
            "ORDER BY ts_rank(doc, q) DESC, slug LIMIT :k"), {"q": any_word, "k": K}).all()
        return [r[0] for r in rows], (rows[0][1] if rows else 0)

    run.close = lambda: (connection.close(), pg.dispose())
    return run


def evaluate_all(systems=("ours", "snowball", "postgres"), template: Path | None = None
                 ) -> dict[str, tuple[Scores, dict[str, Scores], list[Row]]]:
    """Evaluate SYSTEMS over the set; "postgres" only when a server is configured (POSTGRES_URL_VARIABLE).

    The systems read one imported database (the import is the same for each): each has its own index.
    TEMPLATE: see import_corpus.
    """
    cases = load_cases()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        engine = import_corpus(Path(tmp), template)
        try:
            for system in systems:
                if system == "postgres":
                    url = os.environ.get(POSTGRES_URL_VARIABLE)
                    if not url:
                        continue
                    run = postgres_function(engine, url)
                    results[system] = evaluate(run, cases)
                    run.close()
                else:
                    finnish = "voikko" if system == "ours" else "snowball"
                    index = SearchIndex(Path(tmp) / f"search-{finnish}", engine, finnish)
                    index.rebuild()
                    results[system] = evaluate(search_function(index), cases)
        finally:
            engine.dispose()
    return results
