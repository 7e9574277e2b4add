"""Print the relevance set's scores per kind of query for our search, plain Snowball and PostgreSQL.

    eval "$(.ci/postgres.sh start)"   # optional: the PostgreSQL `finnish` baseline needs a server
    .venv/bin/python bench/relevance.py [--misses] [--system ours|snowball|postgres ...]

Columns per system: recall@10, nDCG@10, P@5, zero-hit queries and the share of queries where a hard
negative outranks an entry graded 2 (definitions: tests/search/relevance_eval.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "search"))

from relevance_eval import K, POSTGRES_URL_VARIABLE, evaluate_all  # noqa: E402

CLASSES = {  # the classes of issue 16 first, then the older kinds of the set
    "synonym": "1 synonym", "acronym": "2 acronym", "typo": "3 spelling", "question": "4 question",
    "topic": "5 topic", "number": "6 number", "crosslang": "7 crosslang", "place": "8 theme/region",
}


def main(argv: list[str]) -> None:
    systems = [argv[i + 1] for i, arg in enumerate(argv) if arg == "--system"] or ["ours", "snowball", "postgres"]
    results = evaluate_all(tuple(systems))
    if "postgres" in systems and "postgres" not in results:
        print(f"(no PostgreSQL baseline: set {POSTGRES_URL_VARIABLE}, e.g. eval \"$(.ci/postgres.sh start)\")\n")
    first = results[systems[0]]
    kinds = sorted(first[1], key=lambda k: (k not in CLASSES, list(CLASSES).index(k) if k in CLASSES else 0, k))
    header = f"{'kind':<16}{'n':>4} " + " ".join(f"{'| ' + name:<36}" for name in results)
    print(header)
    print(f"{'':<21}" + " ".join(f"{'| R@' + str(K) + ' nDCG  P@5  zero neg':<36}" for _ in results))
    for kind in [*kinds, "all"]:
        cells = []
        for overall, per_kind, _rows in results.values():
            s = overall if kind == "all" else per_kind[kind]
            cells.append(f"| {s.recall_at_k:.3f} {s.ndcg:.3f} {s.p_at_5:.3f} {s.zero_hits:>3} {s.negatives_above:.2f}")
        print(f"{CLASSES.get(kind, kind):<16}{first[1][kind].queries if kind != 'all' else first[0].queries:>4} "
              + " ".join(f"{c:<36}" for c in cells))
    if "--misses" in argv:
        for system, (_overall, _kinds, rows) in results.items():
            print(f"\n{system}: relevant entries outside the top {K}, and hard negatives above a grade-2 entry:")
            for row in rows:
                missing = [s for s in row.case["grades"] if s not in row.ranking[:K]]
                negatives = [s for s in row.case["negatives"] if s in row.ranking[:K]]
                if missing or negatives:
                    print(f"- {row.case['query']!r} ({row.case['kind']}, {row.total} hits): missing {missing}; "
                          f"negatives in top {K} {negatives}; got {row.ranking[:5]}")


if __name__ == "__main__":
    main(sys.argv[1:])
