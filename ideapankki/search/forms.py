"""Each document's tokens with their analysed forms, made when it is indexed: what highlighting matches on.

A snippet marks a token (as written) when one of its analysed forms (base form, compound part,
stem) is one of the query's terms. Analysing the tokens of twenty texts per search cost more than
the rest of the page; a process-wide table of analysed tokens grew a worker by ~12 MB and made a
snippet depend on what the process had seen before. Instead the index stores, with every document,
its title's, summary's and body's tokens with their forms (HIGHLIGHT_FORMS): a page of hits then
looks each query term up in one string per document (str.find), analyses nothing and keeps nothing.

The string is TOKEN US FORM US FORM ... RS TOKEN US FORM ... between RS marks (ASCII record and
unit separators: no token or form holds one; a token may hold a space, "12 §"). By token, not by
form: a word is written once and its forms after it (4.8 KB a document at 20,000 entries, not 7.5).
"""

from __future__ import annotations

from .analysis import _TOKEN_RE as _TOKEN, analyzers

HIGHLIGHT_FORMS = "highlight_forms"  # the stored field
_RS, _US = "\x1e", "\x1f"
_ENDS = (_RS, _US)


def tokens_by_form(texts, analyze, known: dict | None = None) -> str:
    """The tokens of TEXTS, each with the forms ANALYZE gives it (of its lower case), as stored.

    KNOWN (token lower-cased -> its forms), kept by the caller over a batch of documents, spares
    analysing a word again. A token without forms (a stop word) is left out: nothing marks it."""
    known = {} if known is None else known
    records = []
    for token in sorted(set().union(*(_TOKEN.findall(text) for text in texts if text))):
        lowered = token.lower()
        forms = known.get(lowered)
        if forms is None:
            forms = known[lowered] = tuple(sorted({t.text for t in analyze(lowered)}))
        if forms:
            records.append(token + _US + _US.join(forms))
    return _RS + _RS.join(records) + _RS


def add_forms(docs, finnish: str) -> None:
    """Store each index document's tokens with their forms (HIGHLIGHT_FORMS), analysed as highlights read them:
    by the language's analyzer (FINNISH: the index's Finnish analysis), stop words dropped."""
    per_language = analyzers(finnish)
    known: dict[str, dict] = {language: {} for language in per_language}
    for doc in docs:
        language = doc["language"]
        texts = [doc.get(f"{name}_{language}") or "" for name in ("title", "summary", "body")]
        doc[HIGHLIGHT_FORMS] = tokens_by_form(texts, per_language[language], known[language])


def matching(forms: str, terms) -> set[str]:
    """The tokens (as written) that FORMS (tokens_by_form) gives any of TERMS as a form.

    A term is found where it follows a unit separator and ends at a separator: a form of the token
    that opens the record (a token follows a record separator, so it is never taken for a form)."""
    found: set[str] = set()
    for term in terms:
        pattern = _US + term
        at = forms.find(pattern)
        while at != -1:
            end = at + len(pattern)
            if forms[end] in _ENDS:
                start = forms.rfind(_RS, 0, at) + 1
                found.add(forms[start:forms.index(_US, start)])
            at = forms.find(pattern, end)
    return found
