"""Relevance evaluation: recall@10 and MRR of the search over the seed content and test corpus.

Used by tests/search/test_relevance.py (a floor against regressions) and bench/relevance.py
(the report comparing the Voikko analysis with plain Snowball).
"""

from __future__ import annotations

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


@dataclass
class Scores:
    queries: int
    recall_at_k: float
    mrr: float


def load_cases() -> list[dict]:
    with RELEVANCE_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def build(workdir: Path, finnish: str) -> SearchIndex:
    """Import the seed content and the test corpus into a fresh database and index them."""
    engine = create_db_engine(f"sqlite:///{workdir / 'relevance.db'}")
    init_database(engine)
    for source in SOURCES:
        with session_scope(engine) as session:
            import_path(session, source, publish=True)
    index = SearchIndex(workdir / f"search-{finnish}", engine, finnish)
    index.rebuild()
    return index


def ranked_slugs(index: SearchIndex, query: str) -> list[str]:
    response = index.search(query, per_page=K)
    return [hit.slug for hit in response.hits]


def evaluate(index: SearchIndex, cases: list[dict]) -> tuple[Scores, dict[str, Scores], list[tuple[dict, list[str]]]]:
    """Return overall scores, scores per kind, and each case with its ranking."""
    per_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    rows = []
    for case in cases:
        ranking = ranked_slugs(index, case["query"])
        relevant = case["relevant"]
        recall = sum(1 for slug in relevant if slug in ranking[:K]) / len(relevant)
        reciprocal = next((1 / (i + 1) for i, slug in enumerate(ranking[:K]) if slug in relevant), 0.0)
        per_kind[case["kind"]].append((recall, reciprocal))
        per_kind["all"].append((recall, reciprocal))
        rows.append((case, ranking))

    def scores(values):
        return Scores(len(values), sum(r for r, _ in values) / len(values), sum(m for _, m in values) / len(values))

    kinds = {kind: scores(values) for kind, values in per_kind.items()}
    return kinds.pop("all"), kinds, rows


def evaluate_both() -> dict[str, tuple[Scores, dict[str, Scores], list]]:
    cases = load_cases()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for finnish in ("voikko", "snowball"):
            workdir = Path(tmp) / finnish
            workdir.mkdir()
            index = build(workdir, finnish)
            results[finnish] = evaluate(index, cases)
            index.engine.dispose()
    return results
