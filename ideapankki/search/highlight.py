"""Snippets with the matched words marked, for one page of hits.

Whoosh's highlighter runs every token of a stored text through the whole analysis chain for
every hit; here each distinct word is analysed once per process (cached), so a page of twenty
highlights costs a few milliseconds. A token is marked when one of its analysed forms (base
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


MAX_FORMS = 60_000  # distinct tokens remembered per analyzer (~20 MB at most; 300,000 could reach ~100 MB)


class _Vocabulary:
    """The tokens (as written) one analyzer has seen, and for each analysed form the tokens that
    have it: a page's matching tokens are then the union of its terms' sets (C set arithmetic),
    and only a token no page has shown before is analysed, once per process."""

    def __init__(self):
        self.known: set[str] = set()
        self.by_form: dict[str, set[str]] = {}

    def matching(self, terms: set[str]) -> set[str]:
        found: set[str] = set()
        for term in terms:
            found |= self.by_form.get(term, set())
        return found

    def learn(self, analyze, tokens: set[str], terms: set[str], matching: set[str]) -> None:
        """Analyse TOKENS (new ones), adding those with a form in TERMS to MATCHING."""
        if len(self.known) + len(tokens) > MAX_FORMS:
            self.known, self.by_form = set(), {}
        for token in tokens:
            forms = {t.text for t in analyze(token.lower())}
            for form in forms:
                self.by_form.setdefault(form, set()).add(token)
            if not terms.isdisjoint(forms):
                matching.add(token)
        self.known |= tokens


_VOCABULARIES: dict[tuple[str, str], _Vocabulary] = {}


def distinct_tokens(text: str) -> str | list[str]:
    """TEXT's distinct tokens (as written, sorted): stored with each body when it is indexed
    (schema.HIGHLIGHT_TOKENS), so that highlighting a page of hits tokenises none of them.

    When every token is a run of word characters (a plain text, see _matches), they come as one
    string, separated by spaces: cheaper to store and to read than a list, and the type says that
    the text is plain. Otherwise (a law number, a section, a date, an amount) as a list."""
    tokens = sorted(set(_TOKEN.findall(text)))
    return " ".join(tokens) if _plain(tokens) else tokens


def _plain(tokens) -> bool:
    """Whether TOKENS have no special token: no character that is not a word character."""
    return "".join(tokens).replace("_", "a").isalnum()


def highlight(text: str, terms: set[str], language: str, finnish: str, seen: dict | None = None,
              tokens: str | list[str] | None = None) -> str:
    """Return up to TOP fragments of TEXT around the words matching TERMS, as safe HTML ('' if none).

    SEEN, kept by the caller for one page of hits with the same TERMS (one dict per field), holds
    the tokens (as written) known to match: the union of the terms' tokens in the process's
    vocabulary, and any new token of the page's texts that matches. TOKENS: TEXT's distinct tokens
    (distinct_tokens), when the index stored them; otherwise TEXT is tokenised here."""
    if not terms or not text:
        return ""
    vocabulary = _VOCABULARIES.get((finnish, language))
    if vocabulary is None:
        vocabulary = _VOCABULARIES.setdefault((finnish, language), _Vocabulary())
    seen = {} if seen is None else seen
    matching = seen.get("matching")
    if matching is None:
        matching = seen["matching"] = vocabulary.matching(terms)
    # The text's distinct tokens: as stored (a list, or one string when the text is plain), else found here.
    distinct, plain = (tokens.split(" "), True) if isinstance(tokens, str) else (
        list(set(_TOKEN.findall(text))) if tokens is None else tokens, None)
    known = vocabulary.known
    if len(known.intersection(distinct)) != len(distinct):  # on the list: no set of the text's tokens is made
        vocabulary.learn(_analyzers(finnish)[language], set(distinct) - known, terms, matching)
    hits = matching.intersection(distinct)
    if not hits:
        return ""
    # Special tokens (law numbers, sections, dates, amounts) are the ones with a character that is not a word
    # character: without one, the tokens are the text's maximal runs of word characters.
    matches = _matches(text, hits, _plain(distinct) if plain is None else plain)
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
    out, at = [], start
    for m_start, m_end in matches:
        if m_start < start or m_end > end:
            continue
        out.append(html.escape(text[at:m_start]))
        out.append(f"<mark>{html.escape(text[m_start:m_end])}</mark>")
        at = m_end
    out.append(html.escape(text[at:end]))
    return "".join(out).strip()
