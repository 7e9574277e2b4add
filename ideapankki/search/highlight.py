"""Snippets with the matched words marked, for one page of hits.

Whoosh's highlighter runs every token of a stored text through the whole analysis chain for
every hit; here each distinct word is analysed once per process (cached), so a page of twenty
highlights costs a few milliseconds. A word is marked when one of its analysed forms (base
form, compound part, stem) is one of the query's terms for that field.
"""

from __future__ import annotations

import html
from functools import lru_cache

from whoosh import query as Q

from .analysis import _TOKEN_RE as _TOKEN, analyzers

MAX_CHARS = 160  # one fragment at most this long
SURROUND = 50  # context on each side of a match
TOP = 2  # fragments per snippet
BETWEEN = " … "


def query_terms(query) -> dict[str, set[str]]:
    """The texts of QUERY's terms, by field name."""
    terms: dict[str, set[str]] = {}
    stack = [query]
    while stack:
        node = stack.pop()
        if isinstance(node, Q.Term):
            text = node.text.decode("utf-8") if isinstance(node.text, bytes) else node.text
            terms.setdefault(node.fieldname, set()).add(text)
        elif isinstance(node, Q.CompoundQuery):
            stack.extend(node.subqueries)
    return terms


@lru_cache(maxsize=2)
def _analyzers(finnish: str) -> dict:
    return analyzers(finnish)


MAX_FORMS = 300_000  # distinct words remembered per analyzer
_FORMS: dict[tuple[str, str], dict[str, frozenset[str]]] = {}


def _forms(finnish: str, language: str, word: str) -> frozenset[str]:
    """What the field analyzer of LANGUAGE makes of one lower-case WORD (remembered: it depends
    only on the word and the analysis)."""
    known = _FORMS.setdefault((finnish, language), {})
    found = known.get(word)
    if found is None:
        if len(known) >= MAX_FORMS:
            known.clear()
        found = known[word] = frozenset(t.text for t in _analyzers(finnish)[language](word))
    return found


def highlight(text: str, terms: set[str], language: str, finnish: str,
              seen: tuple[set[str], set[str]] | None = None) -> str:
    """Return up to TOP fragments of TEXT around the words matching TERMS, as safe HTML ('' if none).

    SEEN, kept by the caller for one page of hits with the same TERMS, holds the tokens (as
    written) found to match and not to match: the page's texts share most of their words, so
    only a text's new tokens are looked up, and the rest is set arithmetic."""
    if not terms or not text:
        return ""
    matching, other = (set(), set()) if seen is None else seen
    # Each distinct token is looked up once: a body repeats most of its words, and most fields
    # of a hit match nothing (then no second pass at all).
    distinct = set(_TOKEN.findall(text))
    for token in distinct - matching - other:
        (other if _forms(finnish, language, token.lower()).isdisjoint(terms) else matching).add(token)
    hits = distinct & matching
    if not hits:
        return ""
    matches = [found.span() for found in _TOKEN.finditer(text) if found.group() in hits]
    fragments = []  # (number of matches, start, end)
    i = 0
    while i < len(matches):
        start = max(0, matches[i][0] - SURROUND)
        j = i
        while j + 1 < len(matches) and matches[j + 1][1] + SURROUND - start <= MAX_CHARS:
            j += 1
        end = min(len(text), matches[j][1] + SURROUND)
        fragments.append((j - i + 1, _snap_start(text, start, matches[i][0]), _snap_end(text, end, matches[j][1])))
        i = j + 1
    best = sorted(sorted(fragments, key=lambda f: (-f[0], f[1]))[:TOP], key=lambda f: f[1])
    return BETWEEN.join(_render(text, start, end, matches) for _n, start, end in best)


def _snap_start(text: str, start: int, limit: int) -> int:
    """Move START forward to a word boundary (not past LIMIT, the first match)."""
    if start == 0:
        return 0
    space = text.find(" ", start, limit)
    return space + 1 if space != -1 else start


def _snap_end(text: str, end: int, limit: int) -> int:
    """Move END back to a word boundary (not before LIMIT, the last match's end)."""
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", limit, end)
    return space if space != -1 else end


def _render(text: str, start: int, end: int, matches: list[tuple[int, int]]) -> str:
    out, at = [], start
    for m_start, m_end in matches:
        if m_start < start or m_end > end:
            continue
        out.append(html.escape(text[at:m_start]))
        out.append(f"<mark>{html.escape(text[m_start:m_end])}</mark>")
        at = m_end
    out.append(html.escape(text[at:end]))
    return "".join(out).strip()
