"""Did-you-mean's folded vocabulary (spelling.Spellings): the same spellings as a list per folded word."""

from ideapankki.search import spelling

VOCABULARY = sorted(["kunta", "kunnat", "päätös", "paatos", "päätöksenteko", "yhteistyö", "åland", "aland",
                     "koulu", "köyhyys", "oma", "öljy"])


def _by_list(vocabulary):
    spellings = {}
    for word in vocabulary:
        spellings.setdefault(spelling.fold(word), []).append(word)
    return sorted(spellings), spellings


def test_the_same_spellings_as_a_list_per_folded_word():
    ordered, spellings = spelling.folded_vocabulary(list(VOCABULARY))
    expected_order, expected = _by_list(VOCABULARY)
    assert ordered == expected_order
    for folded in expected_order:
        assert list(spellings.get(folded)) == expected[folded] == list(spellings[folded])
    for absent in ("kuntaa", "paatoksenteko2", "", "zzz"):
        assert spellings.get(absent, []) == []
        try:
            spellings[absent]
        except KeyError:
            pass
        else:
            raise AssertionError(absent)


def test_only_the_words_with_other_spellings_are_kept_apart():
    _ordered, spellings = spelling.folded_vocabulary(list(VOCABULARY))
    assert set(spellings.others) == {"paatos", "paatoksenteko", "yhteistyo", "aland", "koyhyys", "oljy"}
