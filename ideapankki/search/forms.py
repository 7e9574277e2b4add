"""Each document's tokens with their analysed forms, made when it is indexed: what highlighting matches on.

A snippet marks a token (as written) when one of its analysed forms (base form, compound part,
stem) is one of the query's terms. Analysing the tokens of twenty texts per search cost more than
the rest of the page; a process-wide table of analysed tokens grew a worker by ~12 MB and made a
snippet depend on what the process had seen before. Instead the index stores, with every document,
its title's, summary's and body's tokens with their forms (HIGHLIGHT_FORMS): a page of hits then
looks each query term up in what its document stores, analyses nothing and keeps nothing.

What is stored (LAYOUT 7) is looked up by form, not scanned: (TOKENS, STARTS, RECORDS). TOKENS is
the tokens, sorted, joined by US, each followed by where it occurs in the body (GS OFFSET GS OFFSET
...: a snippet of the body, the usual one, then finds no word in the text either). RECORDS is one
record per form, RS FORM US AT US AT ..., each AT being where in TOKENS a token with that form
starts; the records are grouped in len(STARTS) - 1 buckets by a hash of the form (_bucket), bucket B
being RECORDS[STARTS[B]:STARTS[B+1]] (about PER_BUCKET records). A term is then found with one
str.find over its bucket, some fifty characters. LAYOUT 4-6 stored TOKEN US FORM US FORM ... records:
a page of hits spent ~0.6 ms scanning twenty 5 kB strings once per term (a query's words bring three
or four terms, with the thesaurus' more), and ~0.4 ms more finding the matched tokens in the bodies.
RS, US and GS are ASCII record, unit and group separators: no token or form holds one (a token may
hold a space, "12 §").
"""

from __future__ import annotations

from zlib import crc32

from .analysis import _TOKEN_RE as _TOKEN, analyzers

HIGHLIGHT_FORMS = "highlight_forms"  # the stored field
PER_BUCKET = 4  # forms a bucket holds on average
_RS, _US, _GS = "\x1e", "\x1f", "\x1d"


def _bucket(form: str, buckets: int) -> int:
    """The bucket of FORM among BUCKETS: a hash that is the same in every process (str's hash is not)."""
    return crc32(form.encode("utf-8", "surrogatepass")) % buckets


def tokens_by_form(texts, analyze, known: dict | None = None, body: str = "") -> tuple[str, tuple[int, ...], str]:
    """The tokens of TEXTS by the forms ANALYZE gives them (of their lower case), as stored (see above),
    with where each occurs in BODY (one of TEXTS, or none).

    KNOWN (token lower-cased -> its forms), kept by the caller over a batch of documents, spares
    analysing a word again. A token without forms (a stop word) is left out: nothing marks it."""
    known = {} if known is None else known
    tokens = []
    by_form: dict[str, list[str]] = {}
    at = 0  # where the next token starts in TOKENS
    in_body: dict[str, str] = {}
    for found in _TOKEN.finditer(body):
        in_body[found.group()] = in_body.get(found.group(), "") + _GS + str(found.start())
    for token in sorted(set().union(*(_TOKEN.findall(text) for text in texts if text))):
        lowered = token.lower()
        forms = known.get(lowered)
        if forms is None:
            forms = known[lowered] = tuple(sorted({t.text for t in analyze(lowered)}))
        if forms:
            place = str(at)
            tokens.append(token + in_body.get(token, ""))
            at += len(tokens[-1]) + 1
            for form in forms:
                by_form.setdefault(form, []).append(place)
    buckets: list[list[str]] = [[] for _ in range(max(1, len(by_form) // PER_BUCKET))]
    for form, places in sorted(by_form.items()):
        buckets[_bucket(form, len(buckets))].append(_RS + form + _US + _US.join(places))
    starts, at = [0], 0
    for records in buckets:
        at += sum(map(len, records))
        starts.append(at)
    return _US.join(tokens), tuple(starts), "".join("".join(records) for records in buckets)


def add_forms(docs, finnish: str) -> None:
    """Store each index document's tokens with their forms (HIGHLIGHT_FORMS), analysed as highlights read them:
    by the language's analyzer (FINNISH: the index's Finnish analysis), stop words dropped."""
    per_language = analyzers(finnish)
    known: dict[str, dict] = {language: {} for language in per_language}
    for doc in docs:
        language = doc["language"]
        texts = [doc.get(f"{name}_{language}") or "" for name in ("title", "summary", "body")]
        doc[HIGHLIGHT_FORMS] = tokens_by_form(texts, per_language[language], known[language], texts[2])


def _entries(forms: tuple[str, tuple[int, ...], str], terms) -> list[str]:
    """The entries of TOKENS (token GS offset ...) that FORMS gives any of TERMS as a form.

    A record opens with RS and its form ends at a US, so RS TERM US is found in TERM's record only."""
    tokens, starts, records = forms
    buckets = len(starts) - 1
    places: set[str] = set()
    for term in terms:
        bucket = _bucket(term, buckets)
        end = starts[bucket + 1]
        at = records.find(_RS + term + _US, starts[bucket], end)
        if at != -1:
            at += len(term) + 2
            stop = records.find(_RS, at, end)
            places.update(records[at:end if stop == -1 else stop].split(_US))
    entries = []
    for place in places:
        start = int(place)
        stop = tokens.find(_US, start)
        entries.append(tokens[start:] if stop == -1 else tokens[start:stop])
    return entries


def matching(forms: tuple[str, tuple[int, ...], str], terms) -> set[str]:
    """The tokens (as written) that FORMS (tokens_by_form) gives any of TERMS as a form."""
    return {entry.split(_GS, 1)[0] for entry in _entries(forms, terms)}


def body_spans(forms: tuple[str, tuple[int, ...], str], terms) -> list[tuple[int, int]]:
    """Where in the body FORMS was made with the tokens that have any of TERMS as a form are: (start, end), in order."""
    spans = []
    for entry in _entries(forms, terms):
        token, *offsets = entry.split(_GS)
        size = len(token)
        spans += [(start, start + size) for start in map(int, offsets)]
    spans.sort()
    return spans
