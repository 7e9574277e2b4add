"""Each document's tokens by analysed form, made when it is indexed: what highlighting matches on.

A snippet marks a token (as written) when one of its analysed forms (base form, compound part,
stem) is one of the query's terms. Analysing the tokens of twenty texts per search cost more than
the rest of the page; a process-wide table of analysed tokens grew a worker by ~12 MB and made a
snippet depend on what the process had seen before. Instead the index stores, with every document,
its title's, summary's and body's tokens grouped by form (HIGHLIGHT_FORMS): a page of hits then
looks each query term up in one string per document (str.find), analyses nothing and keeps nothing.

The string is FORM US TOKEN US TOKEN ... RS FORM US TOKEN ... between RS marks (ASCII record and
unit separators: no token or form holds one; a token may hold a space, "12 §").
"""

from __future__ import annotations

from .analysis import _TOKEN_RE as _TOKEN, analyzers

HIGHLIGHT_FORMS = "highlight_forms"  # the stored field
_RS, _US = "\x1e", "\x1f"


def tokens_by_form(texts, analyze, known: dict | None = None) -> str:
    """The tokens of TEXTS grouped by the forms ANALYZE gives them (of their lower case), as stored.

    KNOWN (token lower-cased -> its forms), kept by the caller over a batch of documents, spares
    analysing a word again."""
    known = {} if known is None else known
    by_form: dict[str, set[str]] = {}
    for token in set().union(*(_TOKEN.findall(text) for text in texts if text)):
        lowered = token.lower()
        forms = known.get(lowered)
        if forms is None:
            forms = known[lowered] = frozenset(t.text for t in analyze(lowered))
        for form in forms:
            by_form.setdefault(form, set()).add(token)
    return _RS + _RS.join(form + _US + _US.join(sorted(tokens)) for form, tokens in sorted(by_form.items())) + _RS


def add_forms(docs, finnish: str) -> None:
    """Store each index document's tokens by form (HIGHLIGHT_FORMS), analysed as highlights read them:
    by the language's analyzer (FINNISH: the index's Finnish analysis), stop words dropped."""
    per_language = analyzers(finnish)
    known: dict[str, dict] = {language: {} for language in per_language}
    for doc in docs:
        language = doc["language"]
        texts = [doc.get(f"{name}_{language}") or "" for name in ("title", "summary", "body")]
        doc[HIGHLIGHT_FORMS] = tokens_by_form(texts, per_language[language], known[language])


def matching(forms: str, terms) -> set[str]:
    """The tokens (as written) that FORMS (tokens_by_form) lists under any of TERMS."""
    found: set[str] = set()
    for term in terms:
        at = forms.find(_RS + term + _US)
        if at != -1:
            start = at + len(term) + 2
            found.update(forms[start:forms.index(_RS, start)].split(_US))
    return found
