"""The relevance set: the Voikko analysis must find what a reader expects, better than Snowball."""

import pytest

from relevance_eval import evaluate_both


@pytest.fixture(scope="module")
def results():
    return evaluate_both()


def test_voikko_finds_nearly_everything_the_set_expects(results):
    overall, per_kind, _rows = results["voikko"]
    assert overall.queries >= 30
    assert overall.recall_at_k >= 0.95
    assert overall.mrr >= 0.95
    for kind, scores in per_kind.items():
        assert scores.recall_at_k >= 0.85, kind


def test_voikko_beats_plain_snowball(results):
    voikko, snowball = results["voikko"][0], results["snowball"][0]
    assert voikko.recall_at_k > snowball.recall_at_k
    assert voikko.mrr > snowball.mrr
    assert results["voikko"][1]["compound"].recall_at_k > results["snowball"][1]["compound"].recall_at_k
