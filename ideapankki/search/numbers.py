"""Numbers written in different ways, normalised alike when indexing and when searching.

- Amounts with thousands separators are one token: "50 000 euroa", "50 000 €" and "50000 €" all
  index and search as 50000 (a space, a no-break or a thin space between groups of three digits).
- Dates become ISO tokens: "1.3.2021" and "1. maaliskuuta 2021" index as 2021-03-01 and also as
  their year; a date typed in a query searches the day only.
- Finnish number words become digits: "kuusikymmentäviisi" → 65, and an age word
  "kuusikymmentäviisivuotiaiden" → 65 and vuotias, as "65-vuotiaiden" is indexed (65, vuotias).
  The words themselves are kept too; a lone age word ("vuotiaille" of "65-vuotiaille") is indexed
  as vuotias as well, which Voikko does not know alone. Ranges (18–29, 18-29) are their two numbers either way.

A law number (1065/2021) or a section (65 §) stays one token of its own (analysis.TOKEN_PATTERN), so
an unrelated 65 in it never matches.
"""

from __future__ import annotations

import re

from whoosh.analysis import Filter, StopFilter

MONTHS = ("tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka", "marras", "joulu")
_SPACES = "[ \u00a0\u202f]"
# Tokens that must come before the tokenizer's \w+ (analysis.TOKEN_PATTERN puts them first)
TOKEN_PATTERN = (r"\d{1,2}\.\s?(?:" + "|".join(MONTHS) + r")kuuta\s\d{4}|\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}"
                 r"|\d{1,3}(?:" + _SPACES + r"\d{3})+(?![\d/])")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_NAMED = re.compile(r"(\d{1,2})\.\s?(" + "|".join(MONTHS) + r")kuuta\s(\d{4})$")
_AMOUNT = re.compile(r"\d{1,3}(?:" + _SPACES + r"\d{3})+$")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}$")

UNITS = {"yksi": 1, "kaksi": 2, "kolme": 3, "neljä": 4, "viisi": 5, "kuusi": 6, "seitsemän": 7, "kahdeksan": 8,
         "yhdeksän": 9}
_PART = re.compile("|".join(sorted([*UNITS, "kymmenen", "toista", "kymmentä", "sataa", "sata", "tuhatta", "tuhat"],
                                   key=len, reverse=True)))
AGE_WORD = "vuotias"
_AGE_ENDING = re.compile(r"vuotia|vuoti")
_AGE = re.compile(r"vuotia\w{0,5}$")  # vuotias, vuotiaat, vuotiaille, vuotiaiden ...


def numeral_value(text: str) -> int | None:
    """The value of a nominative Finnish cardinal written as one word (kuusikymmentäviisi → 65)."""
    total = current = 0
    unit = None
    pos = 0
    while pos < len(text):
        found = _PART.match(text, pos)
        if found is None:
            return None
        part, pos = found.group(), found.end()
        if part in UNITS:
            if unit is not None:
                return None
            unit = UNITS[part]
        elif part in ("kymmenen", "sata", "tuhat") and unit is None:
            current += {"kymmenen": 10, "sata": 100, "tuhat": 1000}[part]
        elif part in ("toista", "kymmentä", "sataa") and unit is not None:
            current += {"toista": 10 + unit, "kymmentä": unit * 10, "sataa": unit * 100}[part]
            unit = None
        elif part == "tuhatta" and (unit is not None or current):
            total, current, unit = total + (current + (unit or 0)) * 1000, 0, None
        else:
            return None
    return total + current + (unit or 0)


def number_word(word: str) -> tuple[str, ...]:
    """Digits for a Finnish number word, and the age word for one in -vuotias: () for any other word."""
    if not _PART.match(word):
        return ()
    for end in range(len(word), 3, -1):
        value = numeral_value(word[:end])
        if value is not None:
            rest = word[end:]
            if not rest:
                return (str(value),)
            if _AGE_ENDING.match(rest):
                return str(value), AGE_WORD
            return ()
    return ()


def literal(token: str, index: bool) -> tuple[str, ...]:
    """The normal form of a number token (an amount, a date); with INDEX, a date's year too."""
    if _AMOUNT.match(token):
        return (re.sub(_SPACES, "", token),)
    found = _DOTTED.match(token)
    if found:
        day, month, year = found.groups()
    elif found := _NAMED.match(token):
        day, name, year = found.groups()
        month = str(MONTHS.index(name) + 1)
    else:
        return (token,)
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return (token,)
    iso = f"{year}-{int(month):02d}-{int(day):02d}"
    return (iso, year) if index else (iso,)


class NumberFilter(Filter):
    """Amounts and dates in their normal form; with WORDS, Finnish number words also as digits."""

    def __init__(self, words: bool = False):
        self.words = words

    def __eq__(self, other):
        return type(other) is type(self) and other.words == self.words

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            if text[:1].isdigit():
                forms = literal(text, index=True)
            elif self.words:
                forms = (text, AGE_WORD) if _AGE.match(text) else (text, *number_word(text))
            else:
                forms = (text,)
            for form in forms:
                t.text = form
                yield t


def query_forms(word: str) -> list[str]:
    """What a typed WORD is searched as: a number word as its digits (and the age word), a date or
    an amount in its normal form, any other word as it is."""
    if word[:1].isdigit():
        return list(literal(word, index=False))
    if _AGE.match(word):  # "vuotiaat" of "65-vuotiaat": the age word every form of it is indexed as
        return [AGE_WORD]
    digits = number_word(word)
    return list(digits) if len(digits) > 1 else [word, *digits]


class StopWords(StopFilter):
    """Whoosh's StopFilter that keeps a one-digit number (shorter than its minimum size)."""

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            if (len(text) >= self.min or text.isdigit()) and text not in self.stops:
                t.stopped = False
                yield t
            elif not t.removestops:
                t.stopped = True
                yield t
