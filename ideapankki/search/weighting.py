"""How much each word of a reader's query counts: the topic above the question around it.

A question ("miten kunta voi vähentää ikäihmisten yksinäisyyttä") carries its topic in a few
words; the rest are question words, modal and light verbs, and words every entry of a municipal
bank uses (kunta, kaupunki). Those are down-weighted, never dropped: they still count, a little,
and a query of nothing else ("kunta") is searched as typed. Only the topic words are required for
the all-words boost, so an entry about the topic is not outranked by one that merely shares the
question's phrasing ("mitä kunta voi tehdä ...").
"""

from __future__ import annotations

from functools import lru_cache

from whoosh import query as Q
from whoosh.lang import stopwords_for_language

from .analysis import FINNISH_STOP_LEMMAS, finnish_lemma, is_literal
from .numbers import AGE_WORD
from .scoring import boosted

ALL_WORDS_BOOST = 20.0
LOW_WEIGHT = 0.25  # of a topic word's weight
# base forms (Voikko) of question words, modal and light verbs, and the bank's everyday nouns
QUESTION_LEMMAS = frozenset(
    "miten mikä mitä kuka ketkä miksi missä mistä mihin milloin kuinka millainen montako paljonko "
    "voida saada pitää tarvita täytyä kannattaa tehdä olla onko voiko saako "
    "kunta kaupunki asia keino tapa mahdollinen mahdollisuus "
    "how what why when where who can could should does do is are "
    "hur vad varför när var vem kan ska".split()
) | {AGE_WORD}  # "65-vuotiaat": the number says which age
_CLITICS = ("ko", "kö")
_FI_STOP = stopwords_for_language("fi") | FINNISH_STOP_LEMMAS
_OTHER_STOP = stopwords_for_language("sv") | stopwords_for_language("en")


@lru_cache(maxsize=10_000)
def is_function_word(word: str, voikko: bool) -> bool:
    """Whether WORD is a stop word (ja, miten, että; och, hur; the, how): only titles index it.

    A Finnish stop word as typed or by all its base forms; a Swedish or English one unless it is
    also a Finnish word (vara, alla)."""
    if is_literal(word):
        return False
    if word in _FI_STOP:
        return True
    if not voikko:
        return word in _OTHER_STOP
    lemma = finnish_lemma(word)
    if lemma.known:
        return bool(lemma.forms) and all(form in FINNISH_STOP_LEMMAS for form in lemma.forms)
    return word in _OTHER_STOP


def word_weight(word: str, voikko: bool) -> float:
    """LOW_WEIGHT for a question or function word (in any inflection, with -ko/-kö), else 1."""
    if is_literal(word):
        return 1.0
    candidates = {word}
    candidates.update(word[:-2] for end in _CLITICS if word.endswith(end) and len(word) > 4)
    if voikko:
        for candidate in list(candidates):
            candidates.update(finnish_lemma(candidate).forms)
    return LOW_WEIGHT if candidates & QUESTION_LEMMAS or is_function_word(word, voikko) else 1.0


def combine(parts: list[Q.Query], weights: list[float]) -> tuple[Q.Query | None, Q.Query | None]:
    """(ranked, any word) of the word queries PARTS with their WEIGHTS (word_weight)."""
    if not parts:
        return None, None
    if len(parts) == 1:
        return parts[0], parts[0]
    weighted = [p if w == 1.0 else boosted(p, p.boost * w) for p, w in zip(parts, weights)]
    topic = [p for p, w in zip(parts, weights) if w == 1.0] or parts
    any_word = Q.Or(weighted)
    every = Q.And(topic) if len(topic) > 1 else topic[0]  # Whoosh would drop the boost of a one-part And
    return Q.Or([boosted(every, every.boost * ALL_WORDS_BOOST), any_word]), any_word
