"""Print recall@10 and MRR of the relevance set for the Voikko analysis and plain Snowball.

    .venv/bin/python bench/relevance.py [--misses]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "search"))

from relevance_eval import K, evaluate_both  # noqa: E402


def main() -> None:
    results = evaluate_both()
    voikko, snowball = results["voikko"], results["snowball"]
    kinds = sorted(voikko[1])
    print(f"{'kind':<12} {'queries':>7} {'recall@' + str(K) + ' voikko':>16} {'snowball':>9} "
          f"{'MRR voikko':>11} {'snowball':>9}")
    for kind in [*kinds, "all"]:
        v = voikko[0] if kind == "all" else voikko[1][kind]
        s = snowball[0] if kind == "all" else snowball[1][kind]
        print(f"{kind:<12} {v.queries:>7} {v.recall_at_k:>16.3f} {s.recall_at_k:>9.3f} {v.mrr:>11.3f} {s.mrr:>9.3f}")
    if "--misses" in sys.argv:
        print("\nVoikko misses (relevant entries outside the top 10):")
        for case, ranking in voikko[2]:
            missing = [slug for slug in case["relevant"] if slug not in ranking]
            if missing:
                print(f"- {case['query']!r} ({case['kind']}): missing {missing}; got {ranking[:5]}")


if __name__ == "__main__":
    main()
