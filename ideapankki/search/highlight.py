"""Snippets with the matched words marked, for one page of hits.

Whoosh's highlighter runs every token of a stored text through the whole analysis chain for
every hit; here nothing is analysed per search: each document's tokens with their analysed forms are
stored with it when it is indexed (forms.py). A token is marked when one of its analysed forms
(base form, compound part, stem) is one of the query's terms for that field; the snippets depend
only on the query and the document, not on what the process has seen before.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from functools import lru_cache

from whoosh import query as Q

from .analysis import _TOKEN_RE as _TOKEN, analyzers
from .forms import body_spans, matching, tokens_by_form

MAX_CHARS = 160  # one fragment at most this long
SURROUND = 50  # context on each side of a match
TOP = 2  # fragments per snippet
BETWEEN = " … "


def query_terms(query) -> dict[str, set[str]]:
    """The texts of QUERY's terms, by field name."""
    terms: dict[str, set[str]] = {}
    stack = [query]
    walked: set[int] = set()  # the ranked query shares its word parts between halves (weighting.combine)
    while stack:
        node = stack.pop()
        if id(node) in walked:
            continue
        walked.add(id(node))
        if isinstance(node, Q.Term):
            text = node.text.decode("utf-8") if isinstance(node.text, bytes) else node.text
            terms.setdefault(node.fieldname, set()).add(text)
        elif isinstance(node, Q.CompoundQuery):
            stack.extend(node.subqueries)
    return terms


@lru_cache(maxsize=2)
def _analyzers(finnish: str) -> dict:
    return analyzers(finnish)


def is_plain(text: str) -> bool:
    """Whether TEXT has no special token (see _matches): a title's or summary's tokens are then found
    with str.find (a body's are where the index stored them, forms.body_spans)."""
    return _plain(_TOKEN.findall(text))


def _plain(tokens) -> bool:
    """Whether TOKENS have no special token: no character that is not a word character."""
    return "".join(tokens).replace("_", "a").isalnum()


def highlight(text: str, terms: set[str], language: str, finnish: str, plain: bool | None = None,
              forms=None, body: bool = False) -> str:
    """Return up to TOP fragments of TEXT around the words matching TERMS, as safe HTML ('' if none).

    FORMS: the document's tokens with their analysed forms (forms.tokens_by_form), when the index stored them;
    otherwise TEXT's tokens are analysed here. BODY: TEXT is the body FORMS was made with, so FORMS says
    where its tokens are (the usual case: a title or summary is highlighted only when the body has no
    match). PLAIN: whether TEXT has no special token (is_plain), when the caller knows; otherwise TEXT is
    tokenised here if a word matches (not needed with BODY)."""
    if not terms or not text:
        return ""
    if isinstance(forms, str):  # a generation of LAYOUT 6 or older, read while its successor is built
        forms = None
    if forms is None:
        forms, body = tokens_by_form([text], _analyzers(finnish)[language], body=text), True
    if body:
        matches = body_spans(forms, terms)
    else:
        matches = _found(text, matching(forms, terms), plain)
    if not matches:
        return ""
    # Fragments as (number of matches, start, index of the last match): the end is snapped only for the TOP shown.
    fragments = []
    i, count, reach = 0, len(matches), MAX_CHARS - SURROUND
    while i < count:
        first = matches[i][0]
        start = first - SURROUND if first > SURROUND else 0
        j, limit = i, start + reach  # a match is in the fragment if it ends within MAX_CHARS - SURROUND of START
        while j + 1 < count and matches[j + 1][1] <= limit:
            j += 1
        fragments.append((j - i + 1, _snap_start(text, start, first), j))
        i = j + 1
    best = sorted(sorted(fragments, key=lambda f: (-f[0], f[1]))[:TOP], key=lambda f: f[1])
    size = len(text)
    return BETWEEN.join(_render(text, start, _snap_end(text, min(size, matches[j][1] + SURROUND), matches[j][1]), matches)
                        for _n, start, j in best)


def _found(text: str, hits: set[str], plain: bool | None) -> list[tuple[int, int]]:
    """The spans of TEXT's tokens that are in HITS (tokens of the document's texts), in order."""
    if not hits:  # FORMS lists the tokens of the document's other texts too: _matches may find none of HITS
        return []
    plain = is_plain(text) if plain is None else plain
    if plain and not _plain(hits):  # a token with a special character is no token of a plain text
        hits = {hit for hit in hits if _plain((hit,))}
    # Special tokens (law numbers, sections, dates, amounts) are the ones with a character that is not a word
    # character: without one, the tokens are the text's maximal runs of word characters.
    return _matches(text, hits, plain)


def _matches(text: str, hits: set[str], plain: bool) -> list[tuple[int, int]]:
    """The spans of TEXT's tokens that are in HITS, in order.

    In a PLAIN text (no special token) the tokens are the maximal runs of word characters, so
    each hit's occurrences are found with str.find and kept where no word character adjoins them
    (what \\w is: str.isalnum() or "_"); otherwise every token is looked at."""
    if not plain:
        return [found.span() for found in _TOKEN.finditer(text) if found.group() in hits]
    spans = []
    size = len(text)
    for hit in hits:
        at = text.find(hit)
        while at != -1:
            end = at + len(hit)
            # inline: no word character (str.isalnum() or "_") on either side
            if not (at and ((before := text[at - 1]).isalnum() or before == "_")) \
                    and not (end < size and ((after := text[end]).isalnum() or after == "_")):
                spans.append((at, end))
            at = text.find(hit, end)
    spans.sort()
    return spans


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
    """TEXT[START:END] escaped, with MATCHES (in order, none overlapping) inside it marked. A fragment
    without a character html.escape replaces (most) is written as it is: no escape of each piece
    (some 150 calls a search)."""
    escape = html.escape if _ESCAPED.search(text, start, end) else _as_is
    out, at = [], start
    for m_start, m_end in matches[bisect_left(matches, (start,)):]:
        if m_end > end:  # and so every later one
            break
        out.append(escape(text[at:m_start]))
        out.append(f"<mark>{escape(text[m_start:m_end])}</mark>")
        at = m_end
    out.append(escape(text[at:end]))
    return "".join(out).strip()


_ESCAPED = re.compile("[&<>\"']")  # what html.escape(…, quote=True) replaces


def _as_is(text: str) -> str:
    return text
