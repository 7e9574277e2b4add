"""The segments' term filters (membership.py) never call a present term absent, and spare the look-ups."""

import random

import pytest

from ideapankki.search import postings, vectors
from ideapankki.search.membership import TermFilter, segment_filter
from ideapankki.search.whoosh_private import term_keys

TEXTS = [
    ("kuntakokeilu", "fi", "Kuntakokeilu pienissä kunnissa", "Kunnat kokeilivat uutta mallia kuntakokeilussa."),
    ("perusopetus", "fi", "Perusopetus ja etäopetus", "Perusopetuksen kokeilu perusopetuslain 1269/2020 2 § mukaan."),
    ("omavalmentaja", "fi", "Omavalmentaja", "Omavalmentaja tukee työnhakijaa Helsingissä ja Vaasassa."),
    ("svenska", "sv", "Försök i kommunerna", "Kommunförsöket i Vasa och Helsingfors."),
    ("english", "en", "Trials in municipalities", "The municipal employment trial in Kainuu."),
]


def test_a_filter_has_every_key_added_and_few_others():
    rng = random.Random(7)
    keys = {rng.randbytes(rng.randint(1, 12)) for _ in range(20_000)}
    found = TermFilter(keys)
    assert all(found.may_have(key) for key in keys)
    others = [key for key in (rng.randbytes(rng.randint(1, 12)) for _ in range(20_000)) if key not in keys]
    assert sum(found.may_have(key) for key in others) < 0.02 * len(others)
    assert found.nbytes * 8 >= 10 * len(keys)
    assert not TermFilter([]).may_have(b"anything")


def _filled(bench):
    for slug, language, title, body in TEXTS:
        bench.add(slug, title=title, summary=title, body=body, language=language)
    return bench


def test_no_term_of_a_real_index_is_called_absent(bench):
    _filled(bench)
    checked = 0
    with bench.index.readers.searcher() as searcher:
        leaves = searcher.reader().leaf_readers()
        assert len(leaves) > 1  # entries added one by one: several segments, each with its filter
        for segment, _offset in leaves:
            found = segment_filter(segment)
            prefix, keys = term_keys(segment)
            keys = list(keys)
            terms = list(segment.all_terms())
            assert [prefix(fieldname) + text for fieldname, text in terms] == keys  # Whoosh's own keys
            for window in (9, 64, 1 << 20):  # records cut at every place by the reading windows
                assert list(term_keys(segment, window)[1]) == keys
            assert all(found.filter.may_have(key) for key in keys)
            for fieldname, text in terms:
                value = segment.schema[fieldname].from_bytes(text)
                if segment.schema[fieldname].to_bytes(value) == text:  # not a numeric field's tiers
                    assert not found.absent(fieldname, value)
                    checked += 1
    assert checked > 50


def test_absent_terms_are_not_looked_up_and_present_ones_still_found(bench, monkeypatch):
    _filled(bench)
    looked_up = []
    real = postings.term_blocks
    monkeypatch.setattr(postings, "term_blocks", lambda segment, field, text: looked_up.append(text) or real(
        segment, field, text))
    assert bench.slugs("kuntakokeilu")[0] == "kuntakokeilu"
    assert bench.slugs("Helsingfors")[0] == "svenska"
    assert "kuntakokeilu" in looked_up
    before = len(looked_up)
    assert bench.slugs("zzyzxqwv") == []
    # a word in no text: at most a false "maybe" here and there, not a look-up per field and segment
    assert len(looked_up) - before <= 2, looked_up[before:]


def test_the_segment_cache_keeps_a_bounded_table_of_absent_terms(bench, monkeypatch):
    """Every query's new words are absent from most fields and segments: each is kept as a key
    (found again without the filter), in a table of its own capped at EMPTY_KEYS, so a stream of
    new words cannot grow a worker without end; the postings' byte budget is not spent on them."""
    _filled(bench)
    monkeypatch.setattr(vectors, "EMPTY_KEYS", 40)
    cache = vectors.SegmentCache()
    with bench.index.readers.searcher() as searcher:
        segment, _offset = searcher.reader().leaf_readers()[0]
        fieldname, text = next(iter(segment.all_terms()))
        value = segment.schema[fieldname].from_bytes(text)
        present = cache.postings(segment, "s", fieldname, value)
        assert len(present[0]) and cache._held > 0
        held = cache._held
        for n in range(500):
            assert len(cache.postings(segment, "s", fieldname, f"puuttuva{n}")[0]) == 0
        assert len(cache._empty) == 40 and cache._held == held
        assert cache.postings(segment, "s", fieldname, value) is present  # not evicted by the absent ones
        monkeypatch.setattr(cache, "_absent", lambda *args: pytest.fail("asked the filter for a kept key"))
        assert len(cache.postings(segment, "s", fieldname, "puuttuva499")[0]) == 0
    cache.forget_except(set())
    assert not cache._empty and not cache._postings
