"""Benchmark the Finnish full-text search (Whoosh + Voikko) against SQLite FTS5 over the same lemmas.

    /tmp/venv/bin/python bench/search.py [--entries N] [--queries M] [--profile DIR]

Builds a throw-away instance (temporary folder, SQLite database, migrated) with N synthetic
but realistic Finnish published entries, then measures:

1. a full reindex through SearchIndex.rebuild() (wall time, per-phase split, index size, RSS);
2. query latency through SearchIndex.search (the API's code path) in four modes, plus
   searching.find() on a subset to show the database join overhead;
3. the same on a baseline: an FTS5 table over the Voikko lemma streams of the same entries
   (ideapankki.search.analysis.finnish_analyzer), queried with finnish_lemma forms and bm25;

and prints a table with the targets (PASS/FAIL). Nothing in the project is modified: the
per-phase timings wrap functions in this process only, for the duration of a measurement.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import html
import os
import platform
import pstats
import random
import re
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import types
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

import sqlalchemy as sa  # noqa: E402
import whoosh  # noqa: E402
import whoosh.formats  # noqa: E402
import whoosh.writing  # noqa: E402
from sqlmodel import Session  # noqa: E402

from ideapankki import markdown, workflow
from ideapankki.search import results as searching  # noqa: E402
from ideapankki.search.filters import Filters  # noqa: E402
from ideapankki.content import EntryDocument, parse  # noqa: E402
from ideapankki.db import create_db_engine, session_scope  # noqa: E402
from ideapankki.entries import save_document  # noqa: E402
from ideapankki.migrate import init_database  # noqa: E402
from ideapankki.models import Entry, EntryMunicipality, EntryState, EntryTag, EntryTheme, utcnow  # noqa: E402
from ideapankki.reference import THEME_SLUGS, read_register  # noqa: E402
from ideapankki.search import SearchIndex  # noqa: E402
from ideapankki.search import analysis as search_analysis  # noqa: E402
from ideapankki.search import bulk as search_bulk  # noqa: E402
from ideapankki.search import indexer as search_indexer  # noqa: E402
from ideapankki.search import query as search_query  # noqa: E402
from ideapankki.search import reading as search_reading  # noqa: E402
from ideapankki.search.analysis import FINNISH_STOP_LEMMAS, finnish_analyzer, finnish_lemma  # noqa: E402
from ideapankki.search.query import query_words  # noqa: E402
from ideapankki.search.schema import plain_text  # noqa: E402

try:
    import pyvoikko
except ImportError:  # the bench still runs, on the Snowball fallback, and says so
    pyvoikko = None

CONTENT_DIR = PROJECT_DIR / "content"
DOMAIN_INSERT_LIMIT = 5000  # --insert auto: the domain path up to this many entries, table inserts above
BATCH = 500
FIRST_DAY, LAST_DAY = date(2015, 1, 1), date(2026, 12, 31)
TOP_K = 20  # results per page, as the API's default
TARGET_RATIO, TARGET_FACETS_MS, TARGET_REINDEX_S, TARGET_N = 2.0, 50.0, 30.0, 20_000

# ----------------------------------------------------------------------------------------
# Measuring helpers


def now() -> float:
    return time.perf_counter()


def peak_rss_mb() -> float:
    """The process's peak RSS so far (getrusage; KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mb(key: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def rss_mb() -> float | None:
    return _status_mb("VmRSS")


def reset_peak() -> bool:
    """Reset the kernel's high-water mark (VmHWM) to the current RSS, to measure one phase's peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def phase_peak_mb() -> float | None:
    return _status_mb("VmHWM")


def percentile(values: list[float], p: float) -> float:
    """The P-th percentile (linear interpolation between closest ranks)."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def dir_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


class Probe:
    """Time calls to chosen functions while active (wrappers set here, removed on exit)."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: Counter = Counter()
        self._undo: list = []

    def _timed(self, key: str, fn):
        seconds, calls, clock = self.seconds, self.calls, time.perf_counter

        def wrapper(*args, **kwargs):
            start = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                seconds[key] += clock() - start
                calls[key] += 1

        return wrapper

    def patch(self, owner, name: str, key: str, optional: bool = False) -> bool:
        """Wrap OWNER.NAME; with OPTIONAL, return False when it does not exist (the code moved on)."""
        if optional and not hasattr(owner, name):
            return False
        if isinstance(owner, type) and name in owner.__dict__:
            original = owner.__dict__[name]
            self._undo.append(lambda: setattr(owner, name, original))
        elif isinstance(owner, type):  # inherited (BulkWriter's _flush_segment): wrap here, remove after
            original = getattr(owner, name)
            self._undo.append(lambda: delattr(owner, name))
        elif isinstance(owner, types.ModuleType) or name not in getattr(owner, "__dict__", {}):
            original = getattr(owner, name)
            had_own = isinstance(owner, types.ModuleType)
            self._undo.append(lambda: setattr(owner, name, original) if had_own else delattr(owner, name))
        else:
            original = getattr(owner, name)
            self._undo.append(lambda: setattr(owner, name, original))
        setattr(owner, name, self._timed(key, original))
        return True

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for undo in reversed(self._undo):
            undo()
        self._undo.clear()


# ----------------------------------------------------------------------------------------
# Vocabulary from the seed content

WORD_RE = re.compile(r"[^\W\d_]+")
URL_RE = re.compile(r"\(?https?://\S+\)?|www\.\S+")
NAME_CLASSES = {"nimi", "etunimi", "sukunimi", "paikannimi"}
NOMINAL_CLASSES = {"nimisana", "laatusana", "nimisana_laatusana", "paikannimi", "nimi", "lukusana"}
QUERY_CLASSES = {"nimisana", "laatusana", "nimisana_laatusana", "paikannimi", "nimi"}
# singular cases built on the weak stem, and their endings (back-vowel spelling)
STEM_CASES = {"omanto": "n", "sisaolento": "ssa", "sisaeronto": "sta", "ulkoolento": "lla",
              "ulkoeronto": "lta", "ulkotulento": "lle", "tulento": "ksi"}
GENERATED_ENDINGS = ("n", "ssa", "sta", "lla", "lta", "lle", "ksi", "t")


def _front(word: str) -> bool:
    """Vowel harmony of the word's last harmonic vowel (front when it has none)."""
    for ch in reversed(word):
        if ch in "aou":
            return False
        if ch in "äöy":
            return True
    return True


def _harmonise(ending: str, front: bool) -> str:
    return ending.replace("a", "ä") if front else ending


def _voikko(word: str) -> list:
    if pyvoikko is None:
        return []
    try:
        return pyvoikko.analyse(word)
    except Exception:  # noqa: BLE001
        return []


def _chosen(analyses: list):
    """The analyses finnish_lemma would keep (fewest compound parts)."""
    fewest = min(len(a.COMPOUND_PARTS or ()) for a in analyses)
    return [a for a in analyses if len(a.COMPOUND_PARTS or ()) == fewest]


def _clean(baseform: str) -> str:
    return baseform.replace("=", "").replace("-", "").lower()


@dataclass
class Vocabulary:
    """Surface forms with Zipf-like weights over lemma rank, grouped by lemma."""

    forms: list[str]  # flat list of surface forms (proper nouns capitalised)
    cum_weights: list[float]
    lemma_forms: dict[str, tuple[list[str], list[float]]]  # lemma -> (forms, cum weights)
    ranked_lemmas: list[str]  # most frequent first
    word_class: dict[str, str]
    headings: list[str]
    tags: list[str]
    tag_cum: list[float]
    seed_files: int = 0
    seed_tokens: int = 0
    generated_forms: int = 0
    seed_lemmas: int = 0
    compounds: int = 0
    compound_words: list[str] = field(default_factory=list)
    head_count: int = 0  # ranked_lemmas[:head_count] are seed words seen at least 3 times


def build_vocabulary(content_dir: Path, rng: random.Random, compounds_wanted: int = 8000,
                     zipf_s: float = 1.0) -> Vocabulary:
    docs = []
    for path in sorted(content_dir.rglob("*.md")):
        if path.parent.name == "programmes":  # programme files have their own format (programme_format.py)
            continue
        doc = parse(path.read_text(encoding="utf-8"), path)
        if doc.language == "fi":
            docs.append(doc)
    surface = Counter()
    headings, tags = [], Counter()
    for doc in docs:
        body = URL_RE.sub(" ", doc.body)
        for line in body.splitlines():
            if line.startswith("## "):
                headings.append(line[3:].strip())
        for text in (doc.title, doc.summary, body):
            surface.update(w.lower() for w in WORD_RE.findall(text))
        tags.update(doc.tags)

    lemma_count: Counter = Counter()
    observed: dict[str, Counter] = defaultdict(Counter)
    stems: dict[str, set[str]] = defaultdict(set)
    word_class: dict[str, str] = {}
    for word, count in surface.items():
        analyses = _voikko(word)
        if not analyses:
            lemma, cls, chosen = word, "?", []
        else:
            chosen = _chosen(analyses)
            lemma, cls = _clean(chosen[0].BASEFORM), chosen[0].CLASS or "?"
            chosen = [a for a in chosen if _clean(a.BASEFORM) == lemma]
        if not lemma.isalpha():
            continue
        word_class.setdefault(lemma, cls)
        lemma_count[lemma] += count
        observed[lemma][word] += count
        for a in chosen:
            ending = STEM_CASES.get(a.SIJAMUOTO or "")
            if ending and a.NUMBER == "singular" and not a.POSSESSIVE and not a.FOCUS:
                for variant in {ending, _harmonise(ending, True)}:
                    if word.endswith(variant) and len(word) > len(variant) + 1:
                        stems[lemma].add(word[: -len(variant)])

    # Inflected variants that the seed text does not show, checked with Voikko.
    generated: dict[str, set[str]] = defaultdict(set)
    for lemma, cls in word_class.items():
        if cls not in NOMINAL_CLASSES:
            continue
        candidates = {lemma}
        for stem in stems[lemma] | {lemma}:
            front = _front(stem)
            candidates.update(stem + _harmonise(e, front) for e in GENERATED_ENDINGS)
        for cand in candidates - set(observed[lemma]):
            if any(_clean(a.BASEFORM) == lemma for a in _voikko(cand)):
                generated[lemma].add(cand)

    # A long tail: noun + noun compounds of seed nouns (Finnish coins them freely), kept when
    # Voikko reads them as that compound; they inflect like their last part.
    nouns = [lem for lem in sorted(lemma_count, key=lambda x: -lemma_count[x])
             if word_class.get(lem) == "nimisana" and len(lem) >= 4 and lem not in FINNISH_STOP_LEMMAS][:400]
    compounds: list[tuple[str, str]] = []
    seen_compounds = set(lemma_count)
    attempts = 0
    while nouns and len(compounds) < compounds_wanted and attempts < 4 * compounds_wanted:
        attempts += 1
        first, last = rng.choice(nouns), rng.choice(nouns)
        word = first + last
        if first == last or word in seen_compounds or (first[-1] == last[0] and first[-1] in "aeiouyäö"):
            continue
        seen_compounds.add(word)
        analyses = _voikko(word)
        if analyses and any(_clean(a.BASEFORM) == word and len(a.COMPOUND_PARTS or ()) >= 2 for a in analyses):
            compounds.append((word, last))

    # Zipf-like weights over the seed-frequency rank (ties broken by the seeded generator);
    # seed words seen only once or twice share the tail with the compounds.
    lemmas = list(lemma_count)
    rng.shuffle(lemmas)
    lemmas.sort(key=lambda lem: -lemma_count[lem])
    head = [lem for lem in lemmas if lemma_count[lem] >= 3]
    tail = [lem for lem in lemmas if lemma_count[lem] < 3] + [c for c, _ in compounds]
    rng.shuffle(tail)
    for word, last in compounds:
        word_class[word] = "nimisana"
        first = word[: -len(last)]
        observed[word] = Counter({first + w: c for w, c in observed[last].items()})
        generated[word] = {first + w for w in generated[last]}
        if not observed[word]:
            observed[word] = Counter({word: 1})
    lemmas = head + tail
    forms, weights, lemma_forms = [], [], {}
    for rank, lemma in enumerate(lemmas, start=1):
        weight = 1.0 / (rank + 2.7) ** zipf_s
        seen = observed[lemma]
        extra = sorted(generated[lemma])
        seen_total = sum(seen.values())
        share_seen = 0.7 if extra else 1.0
        group: list[tuple[str, float]] = [(w, share_seen * c / seen_total) for w, c in sorted(seen.items())]
        group += [(w, (1 - share_seen) / len(extra)) for w in extra]
        display = [(w.capitalize() if word_class.get(lemma) in NAME_CLASSES else w, s) for w, s in group]
        for w, s in display:
            forms.append(w)
            weights.append(weight * s)
        lemma_forms[lemma] = ([w for w, _ in display], list(accumulate(s for _, s in display)))
    tag_list = [t for t, _ in tags.most_common()]
    return Vocabulary(
        forms=forms, cum_weights=list(accumulate(weights)), lemma_forms=lemma_forms, ranked_lemmas=lemmas,
        word_class=word_class, headings=sorted(set(headings)), tags=tag_list,
        tag_cum=list(accumulate(1.0 / (r + 1) for r in range(len(tag_list)))), seed_files=len(docs),
        seed_tokens=sum(surface.values()), generated_forms=sum(len(v) for v in generated.values()),
        seed_lemmas=len(lemma_count), compounds=len(compounds), compound_words=[c for c, _ in compounds],
        head_count=len(head),
    )


# ----------------------------------------------------------------------------------------
# Synthetic entries

TYPES = (("practice", 0.5), ("idea", 0.3), ("norm", 0.2))
TRIAL = (("ended", 0.5), ("ongoing", 0.3), ("planned", 0.2))
THEME_WEIGHTS = {"tyollisyys": 3.0, "koulutus": 2.0, "sosiaali-ja-terveys": 2.0}


@dataclass
class Spec:
    slug: str
    type: str
    title: str
    summary: str
    body: str
    themes: list[str]
    codes: list[str]
    tags: list[str]
    published: date
    trial_status: str | None


def _distinct(rng: random.Random, population: list, cum: list[float], k: int) -> list:
    chosen: list = []
    while len(chosen) < k:
        item = rng.choices(population, cum_weights=cum)[0]
        if item not in chosen:
            chosen.append(item)
    return chosen


class EntryGenerator:
    def __init__(self, vocab: Vocabulary, rng: random.Random):
        self.vocab, self.rng = vocab, rng
        codes = [m.code for m in read_register()]
        rng.shuffle(codes)  # a few municipalities get many entries, most a handful
        self.codes, self.code_cum = codes, list(accumulate(1.0 / (r + 1) ** 0.8 for r in range(len(codes))))
        self.themes = list(THEME_SLUGS)
        self.theme_cum = list(accumulate(THEME_WEIGHTS.get(t, 1.0) for t in self.themes))
        # topic words: mid-frequency content lemmas (and a couple of compounds) an entry keeps returning to
        self.topic_pool = [lem for lem in vocab.ranked_lemmas[15:vocab.head_count]
                           if vocab.word_class.get(lem) in QUERY_CLASSES and len(lem) >= 5
                           and lem not in FINNISH_STOP_LEMMAS]
        self.topic_compounds = vocab.compound_words
        self.days = (LAST_DAY - FIRST_DAY).days + 1

    def _words(self, n: int, topic: tuple[list[str], list[float]], p_topic: float) -> list[str]:
        rng, vocab = self.rng, self.vocab
        words = rng.choices(vocab.forms, cum_weights=vocab.cum_weights, k=n)
        topic_forms, topic_cum = topic
        for i in range(n):
            if rng.random() < p_topic:
                words[i] = rng.choices(topic_forms, cum_weights=topic_cum)[0]
        return words

    def _sentence(self, n: int, topic, p_topic: float = 0.15, end: str = ".") -> str:
        words = self._words(n, topic, p_topic)
        for i in range(1, n - 2):
            if self.rng.random() < 0.06:
                words[i] += ","
        text = " ".join(words)
        return text[0].upper() + text[1:] + end

    def _topic(self) -> tuple[list[str], list[float]]:
        forms, weights = [], []
        lemmas = self.rng.sample(self.topic_pool, 4)
        if len(self.topic_compounds) >= 2:
            lemmas += self.rng.sample(self.topic_compounds, 2)
        for lemma in lemmas:
            group, cum = self.vocab.lemma_forms[lemma]
            prev = 0.0
            for w, c in zip(group, cum):
                forms.append(w)
                weights.append(c - prev)
                prev = c
        return forms, list(accumulate(weights))

    def _body(self, topic) -> str:
        rng = self.rng
        target = rng.randint(80, 250)
        sections = 2 if target < 130 else (3 if target < 200 else 4)
        headings = rng.sample(self.vocab.headings, min(sections, len(self.vocab.headings)))
        left = max(60, target - sum(len(h.split()) for h in headings))
        parts = []
        for i, heading in enumerate(headings):
            quota = left // len(headings) + (left % len(headings) if i == 0 else 0)
            parts.append(f"## {heading}")
            if rng.random() < 0.25 and quota >= 12:
                items = []
                while quota > 0:
                    n = min(quota, rng.randint(4, 9))
                    items.append("- " + self._sentence(n, topic, end=""))
                    quota -= n
                parts.append("\n".join(items))
            else:
                sentences = []
                while quota > 0:
                    n = min(quota, rng.randint(6, 16))
                    if quota - n < 3:
                        n = quota
                    sentences.append(self._sentence(n, topic))
                    quota -= n
                parts.append(" ".join(sentences))
        return "\n\n".join(parts)

    def make(self, i: int) -> Spec:
        rng = self.rng
        kind = rng.choices([t for t, _ in TYPES], weights=[w for _, w in TYPES])[0]
        topic = self._topic()
        return Spec(
            slug=f"bench-{i:06d}",
            type=kind,
            title=self._sentence(rng.randint(4, 9), topic, p_topic=0.5, end=""),
            summary=self._sentence(rng.randint(12, 28), topic, p_topic=0.3),
            body=self._body(topic),
            themes=_distinct(rng, self.themes, self.theme_cum, rng.choices((1, 2, 3), weights=(6, 3, 1))[0]),
            codes=_distinct(rng, self.codes, self.code_cum, rng.choices((1, 2, 3, 4), weights=(50, 30, 15, 5))[0]),
            tags=_distinct(rng, self.vocab.tags, self.vocab.tag_cum, rng.choices((0, 1, 2, 3, 4), weights=(2, 3, 3, 2, 1))[0])
            if self.vocab.tags else [],
            published=FIRST_DAY + timedelta(days=rng.randrange(self.days)),
            trial_status=rng.choices([t for t, _ in TRIAL], weights=[w for _, w in TRIAL])[0] if kind == "practice" else None,
        )


def insert_domain(engine, specs: list[Spec]) -> None:
    """Through the real domain path: save_document (renders Markdown, revision) + place_by_operator."""
    with Session(engine, expire_on_commit=False) as session:
        for start in range(0, len(specs), BATCH):
            for s in specs[start:start + BATCH]:
                doc = EntryDocument(slug=s.slug, type=s.type, title=s.title, summary=s.summary, language="fi",
                                    municipalities=list(s.codes), themes=list(s.themes), tags=list(s.tags),
                                    published=s.published, trial_status=s.trial_status, body=s.body)
                entry, _ = save_document(session, doc, list(s.codes))
                workflow.place_by_operator(session, entry, EntryState.published, "bench")
            session.commit()
            session.expunge_all()


def insert_direct(engine, specs: list[Spec]) -> None:
    """Bulk INSERTs into the SQLModel tables (body_html by ideapankki.markdown.render); no revisions or log."""
    stamp = utcnow()
    with engine.connect() as conn:
        first = (conn.execute(sa.select(sa.func.max(Entry.id))).scalar() or 0) + 1
    for start in range(0, len(specs), BATCH * 2):
        batch = specs[start:start + BATCH * 2]
        entries, munis, themes, tags = [], [], [], []
        for offset, s in enumerate(batch):
            entry_id = first + start + offset
            entries.append(dict(id=entry_id, slug=s.slug, type=s.type, state=EntryState.published.value, language="fi",
                                title=s.title, summary=s.summary, body_md=s.body, body_html=markdown.render(s.body),
                                published_on=s.published, trial_status=s.trial_status, created_at=stamp, updated_at=stamp))
            munis += [dict(entry_id=entry_id, municipality_code=c, position=p) for p, c in enumerate(s.codes)]
            themes += [dict(entry_id=entry_id, theme_slug=t, position=p) for p, t in enumerate(s.themes)]
            tags += [dict(entry_id=entry_id, tag=t, position=p) for p, t in enumerate(s.tags)]
        with engine.begin() as conn:
            conn.execute(sa.insert(Entry.__table__), entries)
            conn.execute(sa.insert(EntryMunicipality.__table__), munis)
            conn.execute(sa.insert(EntryTheme.__table__), themes)
            if tags:
                conn.execute(sa.insert(EntryTag.__table__), tags)


# ----------------------------------------------------------------------------------------
# Queries


@dataclass
class BenchQuery:
    text: str
    filters: Filters = field(default_factory=Filters)


class QueryGenerator:
    """One-to-three-word Finnish queries: inflected forms of content words people search for."""

    def __init__(self, vocab: Vocabulary, rng: random.Random):
        self.vocab, self.rng = vocab, rng
        content = [lem for lem in vocab.ranked_lemmas
                   if vocab.word_class.get(lem) in QUERY_CLASSES and len(lem) >= 4 and lem not in FINNISH_STOP_LEMMAS]
        compounds = set(vocab.compound_words)
        head = set(vocab.ranked_lemmas[:vocab.head_count])
        seed_content = [lem for lem in content if lem in head]
        self.common = seed_content[:40]  # the most frequent: each matches a large share of the entries
        self.mid = seed_content[10:400]  # frequent enough to fill a page of highlighted hits
        # any seed word, frequent ones more often; one word in eight is a rare compound of the tail
        self.any = [lem for lem in content[5:] if lem not in compounds]
        self.any_cum = list(accumulate(1.0 / (r + 10) ** 0.5 for r in range(len(self.any))))
        self.compounds = [lem for lem in content if lem in compounds]

    def _form(self, lemma: str) -> str:
        forms, cum = self.vocab.lemma_forms[lemma]
        if lemma in forms and self.rng.random() < 0.4:
            return lemma  # people often type the base form
        return self.rng.choices(forms, cum_weights=cum)[0].lower()

    def _text(self, pool: list[str], cum: list[float] | None, max_words: int = 3) -> str:
        while True:
            n = self.rng.choices((1, 2, 3), weights=(50, 35, 15))[0] if max_words >= 3 else self.rng.choice((1, 2))
            lemmas = []
            while len(lemmas) < n:
                if pool is self.any and self.compounds and self.rng.random() < 0.125:
                    lemma = self.rng.choice(self.compounds)
                else:
                    lemma = self.rng.choices(pool, cum_weights=cum)[0] if cum else self.rng.choice(pool)
                if lemma not in lemmas:
                    lemmas.append(lemma)
            text = " ".join(self._form(lem) for lem in lemmas)
            if query_words(text):
                return text

    def plain(self) -> BenchQuery:
        return BenchQuery(self._text(self.any, self.any_cum))

    def facets(self) -> BenchQuery:
        return BenchQuery(self._text(self.common, None, max_words=2))

    def highlights(self) -> BenchQuery:
        return BenchQuery(self._text(self.mid, None))

    def filtered(self, i: int) -> BenchQuery:
        text = self._text(self.any, self.any_cum)
        if i % 2 == 0:
            return BenchQuery(text, Filters(type=("practice", "idea", "norm")[(i // 2) % 3]))
        return BenchQuery(text, Filters(theme=self.rng.choice(THEME_SLUGS)))


# ----------------------------------------------------------------------------------------
# FTS5 baseline

FTS_TOKENIZE = "unicode61 remove_diacritics 0 tokenchars '/§'"
HL_TOKEN = re.compile(search_analysis.TOKEN_PATTERN)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_match(text: str) -> tuple[str | None, set[str]]:
    """An FTS5 MATCH for TEXT: per word its finnish_lemma forms OR'd (and its compound parts AND'd),
    words OR'd as Whoosh does (documents with every word rank first there); plus the lemma set."""
    clauses, lemmas = [], set()
    for word in query_words(text):
        if search_analysis.is_literal(word):
            options = [_quote(word)]
            lemmas.add(word)
        else:
            lemma = finnish_lemma(word)
            forms = [f for f in lemma.forms if f not in FINNISH_STOP_LEMMAS]
            options = [_quote(f) for f in forms]
            lemmas.update(forms)
            if len(lemma.parts) > 1:  # all parts in one field, as Whoosh's And(parts) per field
                parts = "(" + " AND ".join(_quote(p) for p in lemma.parts) + ")"
                options += [f"(title : {parts})", f"(body : {parts})"]
                lemmas.update(lemma.parts)
        if options:
            clauses.append("(" + " OR ".join(options) + ")")
    return (" OR ".join(clauses) if clauses else None), lemmas


class Fts5Baseline:
    def __init__(self, path: Path):
        self.path = path
        self.con = sqlite3.connect(str(path))
        self.con.executescript(f"""
            CREATE VIRTUAL TABLE doc USING fts5(entry_id UNINDEXED, title, body, tokenize="{FTS_TOKENIZE}");
            CREATE TABLE doc_text(entry_id INTEGER PRIMARY KEY, title TEXT, summary TEXT, body TEXT);
            CREATE TABLE meta(entry_id INTEGER PRIMARY KEY, type TEXT, year INTEGER, trial_status TEXT);
            CREATE TABLE meta_theme(entry_id INTEGER, theme TEXT, PRIMARY KEY (entry_id, theme));
            CREATE TABLE meta_muni(entry_id INTEGER, code TEXT, region TEXT, PRIMARY KEY (entry_id, code));
        """)
        self.timings: dict[str, float] = {}

    def size_split_mb(self) -> dict[str, float]:
        """Bytes by object (dbstat): the FTS5 index itself versus the stored texts and side tables."""
        try:
            rows = self.con.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
        except sqlite3.DatabaseError:
            return {}
        split: dict[str, float] = defaultdict(float)
        for name, size in rows:
            key = ("FTS5 index" if name.startswith("doc_") and name != "doc_text"
                   else "stored texts" if name.startswith("doc_text") else "facet side tables")
            split[key] += size / 1e6
        return dict(split)

    def build(self, db_path: Path) -> int:
        """Analyse every published entry with finnish_analyzer() and fill the FTS5 and side tables."""
        t0 = now()
        src = sqlite3.connect(str(db_path))
        rows = src.execute("SELECT id, title, summary, body_html, type, published_on, trial_status FROM entry "
                           "WHERE state = 'published' ORDER BY id").fetchall()
        places: dict[int, list] = defaultdict(list)
        for eid, code, fi, sv, region, rfi, rsv in src.execute(
                "SELECT em.entry_id, m.code, m.name_fi, m.name_sv, m.region_code, m.region_fi, m.region_sv "
                "FROM entry_municipality em JOIN municipality m ON m.code = em.municipality_code "
                "ORDER BY em.entry_id, em.position"):
            places[eid].append((code, fi, sv, region, rfi, rsv))
        themes: dict[int, list] = defaultdict(list)
        for eid, slug in src.execute("SELECT entry_id, theme_slug FROM entry_theme ORDER BY entry_id, position"):
            themes[eid].append(slug)
        tags: dict[int, list] = defaultdict(list)
        for eid, tag in src.execute("SELECT entry_id, tag FROM entry_tag ORDER BY entry_id, position"):
            tags[eid].append(tag)
        src.close()
        t1 = now()
        analyzer = finnish_analyzer()

        def lemmas(text: str) -> str:
            return " ".join(t.text for t in analyzer(text))

        docs, texts, meta, meta_theme, meta_muni = [], [], [], [], []
        for eid, title, summary, body_html, kind, published, trial in rows:
            body = plain_text(body_html)
            place_names = " ".join(f"{p[1]} {p[2]} {p[4]} {p[5]}" for p in places[eid])
            docs.append((eid, eid, lemmas(title),
                         lemmas(" ".join((summary, body, " ".join(tags[eid]), place_names)))))
            texts.append((eid, title, summary, body))
            meta.append((eid, kind, int(published[:4]) if published else None, trial))
            meta_theme += [(eid, t) for t in themes[eid]]
            meta_muni += [(eid, p[0], p[3]) for p in places[eid]]
        t2 = now()
        with self.con:
            self.con.executemany("INSERT INTO doc(rowid, entry_id, title, body) VALUES (?, ?, ?, ?)", docs)
            self.con.executemany("INSERT INTO doc_text VALUES (?, ?, ?, ?)", texts)
            self.con.executemany("INSERT INTO meta VALUES (?, ?, ?, ?)", meta)
            self.con.executemany("INSERT INTO meta_theme VALUES (?, ?)", meta_theme)
            self.con.executemany("INSERT OR IGNORE INTO meta_muni VALUES (?, ?, ?)", meta_muni)
            self.con.execute("CREATE INDEX meta_type ON meta(type)")
            self.con.execute("CREATE INDEX meta_theme_theme ON meta_theme(theme)")
            self.con.execute("INSERT INTO doc(doc) VALUES ('optimize')")
        t3 = now()
        self.timings = {"read from the database": t1 - t0, "Voikko analysis (finnish_analyzer)": t2 - t1,
                        "FTS5 insert + optimize": t3 - t2}
        return len(rows)

    # -- queries ------------------------------------------------------------------------

    _TOP = "SELECT d.rowid, bm25(doc, 0.0, 3.0, 1.0) AS s FROM doc d {join} WHERE doc MATCH ? {where} ORDER BY s LIMIT ?"
    _COUNT = "SELECT count(*) FROM doc d {join} WHERE doc MATCH ? {where}"
    _FACETS = """
        WITH m AS MATERIALIZED (SELECT rowid AS id FROM doc WHERE doc MATCH ?)
        SELECT 'total', NULL, count(*) FROM m
        UNION ALL SELECT 'type', type, count(*) FROM m JOIN meta ON meta.entry_id = m.id GROUP BY type
        UNION ALL SELECT 'year', year, count(*) FROM m JOIN meta ON meta.entry_id = m.id GROUP BY year
        UNION ALL SELECT 'trial_status', trial_status, count(*) FROM m JOIN meta ON meta.entry_id = m.id
                  WHERE trial_status IS NOT NULL GROUP BY trial_status
        UNION ALL SELECT 'theme', theme, count(*) FROM m JOIN meta_theme t ON t.entry_id = m.id GROUP BY theme
        UNION ALL SELECT 'municipality', code, count(*) FROM m JOIN meta_muni u ON u.entry_id = m.id GROUP BY code
        UNION ALL SELECT 'region', region, count(DISTINCT m.id) FROM m JOIN meta_muni u ON u.entry_id = m.id
                  GROUP BY region
    """

    def search(self, q: BenchQuery, *, facets: bool = False, highlights: bool = False) -> tuple[int, list[int]]:
        match, lemmas = fts_match(q.text)
        if match is None:
            return 0, []
        join, where, params = "", "", []
        if q.filters.type:
            # CROSS JOIN keeps the MATCH as the outer loop: with a plain JOIN, SQLite drives the COUNT from
            # meta's type index and looks the match up row by row (100× slower); likewise for rowid IN (…)
            join, where, params = "CROSS JOIN meta f ON f.entry_id = d.rowid", "AND f.type = ?", [q.filters.type]
        elif q.filters.theme:
            join, where, params = "CROSS JOIN meta_theme f ON f.entry_id = d.rowid", "AND f.theme = ?", [q.filters.theme]
        ids = [r[0] for r in self.con.execute(self._TOP.format(join=join, where=where), [match, *params, TOP_K])]
        if facets:
            counts: dict[str, list] = defaultdict(list)
            for name, value, n in self.con.execute(self._FACETS, [match]):
                counts[name].append((value, n))
            total = counts["total"][0][1]
        else:
            total = self.con.execute(self._COUNT.format(join=join, where=where), [match, *params]).fetchone()[0]
        if highlights and ids:
            marks = ",".join("?" * len(ids))
            texts = {r[0]: r[1:] for r in self.con.execute(
                f"SELECT entry_id, title, summary, body FROM doc_text WHERE entry_id IN ({marks})", ids)}
            for eid in ids:
                title, summary, body = texts[eid]
                for text in (body, summary, title):
                    if highlight(text, lemmas):
                        break
        return total, ids


def highlight(text: str, lemmas: set[str], maxchars: int = 240, surround: int = 60, top: int = 2) -> str:
    """What Whoosh's highlighter does for a hit, by hand: re-analyse the text, mark the words
    whose lemma was searched, cut up to TOP fragments around them, escape and format."""
    spans = []
    for m in HL_TOKEN.finditer(text):
        word = m.group().lower()
        if search_analysis.is_literal(word):
            hit = word in lemmas
        else:
            lemma = finnish_lemma(word)
            hit = any(f in lemmas for f in lemma.forms) or any(p in lemmas for p in lemma.parts)
        if hit:
            spans.append(m.span())
    if not spans:
        return ""
    fragments, last_end = [], -1
    for start, end in spans:
        if start < last_end:
            continue
        lo, hi = max(0, start - surround), min(len(text), start + maxchars - surround)
        inside = [(s, e) for s, e in spans if s >= lo and e <= hi]
        out, pos = [], lo
        for s, e in inside:
            out.append(html.escape(text[pos:s]))
            out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
            pos = e
        out.append(html.escape(text[pos:hi]))
        fragments.append("".join(out))
        last_end = hi
        if len(fragments) >= top:
            break
    return " … ".join(fragments)


# ----------------------------------------------------------------------------------------
# Running


@dataclass
class ModeResult:
    times_ms: list[float]
    totals: list[int]
    page_hits: list[int] = field(default_factory=list)
    phases_ms: dict[str, float] = field(default_factory=dict)  # mean per query

    @property
    def p50(self) -> float:
        return percentile(self.times_ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.times_ms, 95)


def run_whoosh(index: SearchIndex, queries: list[BenchQuery], **kwargs) -> ModeResult:
    probe = Probe()
    with probe:
        # names as of this writing; whichever the search code has now is wrapped, the rest skipped
        probe.patch(search_query, "_page", "page + highlights", optional=True)
        probe.patch(search_query, "suggest_spelling", "spelling suggestion", optional=True)
        if not probe.patch(search_query, "count_facets", "facet counting", optional=True):
            probe.patch(getattr(search_reading, "FacetBits", None), "count", "facet counting", optional=True)
        for name in ("facet_table", "facet_bits", "corpus"):
            probe.patch(index.readers, name, "facet table (cached)", optional=True)
        times, totals, page_hits = [], [], []
        for q in queries:
            t0 = now()
            response = index.search(q.text, q.filters, **kwargs)
            times.append((now() - t0) * 1000)
            totals.append(response.total)
            page_hits.append(len(response.hits))
    total_ms = sum(times)
    phases = {k: v * 1000 / len(queries) for k, v in probe.seconds.items()}
    phases["match + filters (rest)"] = total_ms / len(queries) - sum(phases.values())
    return ModeResult(times, totals, page_hits, phases)


def run_fts(fts: Fts5Baseline, queries: list[BenchQuery], **kwargs) -> ModeResult:
    times, totals = [], []
    for q in queries:
        t0 = now()
        total, _ids = fts.search(q, **kwargs)
        times.append((now() - t0) * 1000)
        totals.append(total)
    return ModeResult(times, totals)


def run_find(engine, index: SearchIndex, queries: list[BenchQuery]) -> tuple[list[float], list[float]]:
    """Per query: SearchIndex.search, then searching.find (new session, as a request) — paired times."""
    search_ms, find_ms = [], []
    for q in queries:
        t0 = now()
        index.search(q.text, q.filters, per_page=TOP_K)
        t1 = now()
        with Session(engine) as session:
            searching.find(session, index, q.text, q.filters, per_page=TOP_K)
        t2 = now()
        search_ms.append((t1 - t0) * 1000)
        find_ms.append((t2 - t1) * 1000)
    return search_ms, find_ms


def instrumented_rebuild(index: SearchIndex) -> tuple[int, float, dict[str, float], Counter]:
    """SearchIndex.rebuild() with per-phase clocks around the functions it calls."""
    probe = Probe()
    voikko_shim = None
    with probe:
        probe.patch(search_indexer, "_published", "read entries (ORM query, selectinload)")
        probe.patch(search_indexer, "document", "document() (plain_text, facets)")
        probe.patch(search_indexer, "learn", "learn", optional=True)
        probe.patch(search_bulk.BulkWriter, "add_document", "writer.add_document")
        probe.patch(search_analysis.WordByWord, "counts", "analysis")
        probe.patch(whoosh.formats.Existence, "word_values", "analysis")
        probe.patch(search_bulk.BulkWriter, "flush_segment", "writer.commit (write segment)")
        # a parallel rebuild reads, analyses and indexes in forked processes, whose clocks we cannot read
        probe.patch(search_indexer, "write_segments", "forked processes")
        if search_analysis._voikko is not None:
            real = search_analysis._voikko
            voikko_shim = types.SimpleNamespace(analyse=probe._timed("voikko", real.analyse))
            search_analysis._voikko = voikko_shim
        try:
            t0 = now()
            count = index.rebuild()
            wall = now() - t0
        finally:
            if voikko_shim is not None:
                search_analysis._voikko = real
    return count, wall, dict(probe.seconds), probe.calls


def analysis_by_field(index: SearchIndex, engine, sample: int) -> dict[str, float]:
    """Seconds per field to analyse SAMPLE documents (warm lemma cache), scaled to all of them."""
    ix = index.store.open()
    schema = ix.schema
    with Session(engine) as session:
        ids = list(session.execute(sa.select(Entry.id).where(Entry.state == "published").order_by(Entry.id)).scalars())
        docs = [search_indexer.document(e) for e in search_indexer._published(session, ids[:sample])]
    per_field: dict[str, float] = defaultdict(float)
    # Two passes, the second timed: after a parallel rebuild this process's lemma cache is still cold,
    # and whichever field came first would be charged with every Voikko call.
    for timed in (False, True):
        for doc in docs:
            for name, value in doc.items():
                fld = schema[name]
                if not fld.indexed or fld.format is None or name == "published":
                    continue
                t0 = now()
                for _ in fld.index(value):
                    pass
                if timed:
                    per_field[name] += now() - t0
    ix.close()
    scale = len(ids) / max(1, len(docs))
    return {k: v * scale for k, v in per_field.items()}


def top_functions(stats_path: Path, limit: int = 15, sort: str = "tottime") -> str:
    """The LIMIT functions with the most own (or cumulative) time, named by package/file:line."""
    stats = pstats.Stats(str(stats_path)).stats
    rows = []
    for (filename, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.items():
        parts = Path(filename).parts
        short = "/".join(parts[-2:]) if len(parts) >= 2 else filename
        rows.append((tottime, cumtime, ncalls, f"{short}:{line}({func})" if line else func))
    rows.sort(key=lambda r: -(r[0] if sort == "tottime" else r[1]))
    out = [f"  {'own s':>8} {'cum s':>8} {'calls':>10}  function"]
    out += [f"  {tt:>8.2f} {ct:>8.2f} {nc:>10}  {name}" for tt, ct, nc, name in rows[:limit]]
    return "\n".join(out)


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None or value != value:
        return "—"
    return f"{value:,.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000, help="synthetic published entries (default 20000)")
    parser.add_argument("--queries", type=int, default=200, help="queries per mode (default 200)")
    parser.add_argument("--seed", type=int, default=2022, help="random seed (default 2022)")
    parser.add_argument("--insert", choices=("auto", "domain", "direct"), default="auto",
                        help=f"how to insert entries: the domain save_document path, bulk table inserts, or "
                             f"auto (domain up to {DOMAIN_INSERT_LIMIT} entries)")
    parser.add_argument("--compounds", type=int, default=8000,
                        help="noun+noun compounds of seed nouns added as the vocabulary's long tail (default 8000)")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up queries per engine (default 20)")
    parser.add_argument("--find-queries", type=int, default=50,
                        help="queries per mode also run through searching.find (default 50)")
    parser.add_argument("--analysis-sample", type=int, default=1000,
                        help="entries re-analysed per field to split analysis time by field (default 1000)")
    parser.add_argument("--profile", metavar="DIR",
                        help="also run a second rebuild and the plain queries under cProfile, stats into DIR")
    parser.add_argument("--keep", metavar="DIR", help="build the instance in DIR and keep it (default: temporary)")
    args = parser.parse_args()
    n, m = args.entries, args.queries
    started = now()

    def log(msg: str) -> None:
        print(f"[{now() - started:7.1f}s] {msg}", flush=True)

    if args.keep:
        root = Path(args.keep)
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="ideapankki-bench-")
        root = Path(cleanup.name)
    try:
        _run(args, n, m, root, log, started)
    finally:
        if cleanup is not None:
            cleanup.cleanup()


def _run(args, n: int, m: int, root: Path, log, started: float) -> None:
    rng = random.Random(args.seed)
    db_path = root / "bench.db"
    engine = create_db_engine(f"sqlite:///{db_path}")
    init_database(engine)
    log(f"instance in {root}; database migrated")

    t0 = now()
    vocab = build_vocabulary(CONTENT_DIR, rng, compounds_wanted=args.compounds)
    log(f"vocabulary: {vocab.seed_lemmas} lemmas from {vocab.seed_files} Finnish seed files ({vocab.seed_tokens} "
        f"tokens) + {vocab.compounds} Voikko-checked compounds of seed nouns; {len(vocab.forms)} surface forms "
        f"({vocab.generated_forms} generated inflections); in {now() - t0:.1f}s")

    t0 = now()
    gen = EntryGenerator(vocab, rng)
    specs = [gen.make(i) for i in range(n)]
    words = [len(WORD_RE.findall(s.body)) for s in specs]
    log(f"generated {n} entries in {now() - t0:.1f}s (body words: min {min(words)}, median "
        f"{int(statistics.median(words))}, max {max(words)})")

    method = args.insert if args.insert != "auto" else ("domain" if n <= DOMAIN_INSERT_LIMIT else "direct")
    t0 = now()
    (insert_domain if method == "domain" else insert_direct)(engine, specs)
    insert_s = now() - t0
    insert_how = ("domain path: save_document + workflow.place_by_operator, commit per 500" if method == "domain"
                  else "direct bulk INSERTs into the SQLModel tables, body_html by ideapankki.markdown.render")
    log(f"inserted {n} entries in {insert_s:.1f}s ({insert_how})")
    del specs
    gc.collect()

    # -- Whoosh: full reindex ----------------------------------------------------------
    index = SearchIndex(root / "search", engine)
    finnish_lemma.cache_clear()  # a reindex runs in a fresh process: start cold
    gc.collect()
    rss_before, peak_before = rss_mb(), peak_rss_mb()
    can_reset = reset_peak()
    log(f"rebuilding the Whoosh index (analysis: {index.finnish}) ...")
    count, reindex_s, rebuild_phases, rebuild_calls = instrumented_rebuild(index)
    rss_after, peak_after = rss_mb(), peak_rss_mb()
    whoosh_phase_peak = phase_peak_mb() if can_reset else None
    whoosh_size = dir_size_mb(index.store.current.resolve())
    lemma_cache = finnish_lemma.cache_info()
    log(f"rebuilt {count} entries in {reindex_s:.1f}s; index {whoosh_size:.1f} MB; {lemma_cache}")
    # What `ideapankki reindex` costs on a running instance: the lasting lemma cache is filled.
    t0 = now()
    index.rebuild()
    warm_reindex_s = now() - t0
    log(f"rebuilt again with the lasting lemma cache in {warm_reindex_s:.1f}s")
    t0 = now()
    per_field = analysis_by_field(index, engine, args.analysis_sample)
    log(f"per-field analysis split from a {args.analysis_sample}-entry sample in {now() - t0:.1f}s")

    # -- FTS5 baseline build -------------------------------------------------------------
    fts_path = root / "fts5.db"
    finnish_lemma.cache_clear()
    gc.collect()
    fts_rss_before = rss_mb()
    reset_peak()
    fts = Fts5Baseline(fts_path)
    t0 = now()
    fts_count = fts.build(db_path)
    fts_build_s = now() - t0
    fts_phase_peak = phase_peak_mb() if can_reset else None
    fts_size = fts_path.stat().st_size / 1e6 + sum(
        p.stat().st_size for p in root.glob("fts5.db-*") if p.is_file()) / 1e6
    fts_split = fts.split = fts.size_split_mb()
    log(f"FTS5 baseline: {fts_count} entries in {fts_build_s:.1f}s; {fts_size:.1f} MB "
        + ", ".join(f"{k} {v:.1f} MB" for k, v in fts_split.items()))

    # -- queries: as a web worker started after the reindex (reads the lasting lemma cache) --
    finnish_lemma.cache_clear()
    index = SearchIndex(root / "search", engine)
    t0 = now()
    lemma_words = index.store.lemmas.load()
    lemma_load_ms = (now() - t0) * 1000
    log(f"new SearchIndex: {lemma_words} analysed words loaded from the lemma cache in {lemma_load_ms:.0f} ms")

    # -- queries -------------------------------------------------------------------------
    qgen = QueryGenerator(vocab, random.Random(args.seed + 1))
    modes = {
        "plain": [qgen.plain() for _ in range(m)],
        "facets": [qgen.facets() for _ in range(m)],
        "highlights": [qgen.highlights() for _ in range(m)],
        "filter": [qgen.filtered(i) for i in range(m)],
    }
    warm = [qgen.plain() for _ in range(args.warmup)]
    t0 = now()
    first = index.search(warm[0].text)
    cold_first_ms = (now() - t0) * 1000
    for q in warm:
        index.search(q.text, q.filters)
    whoosh_res = {}
    for name, queries in modes.items():
        whoosh_res[name] = run_whoosh(index, queries, per_page=TOP_K)
        log(f"Whoosh {name}: p50 {whoosh_res[name].p50:.1f} ms, p95 {whoosh_res[name].p95:.1f} ms")
    find_times = {}
    k = min(args.find_queries, m)
    for name, queries in modes.items():
        find_times[name] = run_find(engine, index, queries[:k])
    log(f"searching.find on {k} queries per mode done")

    for q in warm:
        fts.search(q)
    fts_kwargs = {"plain": {}, "facets": {"facets": True}, "highlights": {"highlights": True}, "filter": {}}
    fts_res = {}
    for name, queries in modes.items():
        fts_res[name] = run_fts(fts, queries, **fts_kwargs[name])
        log(f"FTS5 {name}: p50 {fts_res[name].p50:.2f} ms, p95 {fts_res[name].p95:.2f} ms")
    fts_full = run_fts(fts, modes["plain"], facets=True, highlights=True)

    # -- an edit, then the next search (the facet table is rebuilt per index generation) --
    with session_scope(engine) as session:
        entry = session.get(Entry, 1)
        entry.title = entry.title + " muokattu"
    t0 = now()
    applied = index.catch_up()
    catch_up_ms = (now() - t0) * 1000
    t0 = now()
    index.search(modes["plain"][0].text)
    after_edit_ms = (now() - t0) * 1000
    t0 = now()
    index.search(modes["plain"][1].text)
    after_edit_warm_ms = (now() - t0) * 1000

    profile_text = ""
    if args.profile:
        profile_text = _profile(args.profile, index, modes["plain"], log)

    # -- report --------------------------------------------------------------------------
    total_run = now() - started
    _report(args, n, m, method, insert_how, insert_s, count, reindex_s, rebuild_phases, rebuild_calls, per_field,
            whoosh_size, rss_before, rss_after, peak_before, peak_after, whoosh_phase_peak, lemma_cache,
            fts, fts_build_s, fts_size, fts_rss_before, fts_phase_peak, whoosh_res, fts_res, fts_full, find_times, k,
            cold_first_ms, first.total, applied, catch_up_ms, after_edit_ms, after_edit_warm_ms, total_run,
            profile_text, vocab, warm_reindex_s, lemma_words, lemma_load_ms)
    engine.dispose()
    fts.con.close()


def _profile(directory: str, index: SearchIndex, queries: list[BenchQuery], log) -> str:
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    finnish_lemma.cache_clear()
    log("profiling a second rebuild (cProfile; slower than the timed one) ...")
    prof = cProfile.Profile()
    prof.enable()
    index.rebuild()
    prof.disable()
    prof.dump_stats(str(out / "rebuild.prof"))
    index.search(queries[0].text)  # reopen the searcher and the facet table outside the profile
    prof = cProfile.Profile()
    prof.enable()
    for q in queries:
        index.search(q.text, q.filters, per_page=TOP_K)
    prof.disable()
    prof.dump_stats(str(out / "search.prof"))
    log(f"profiles written to {out}/rebuild.prof and {out}/search.prof")
    return (f"\ncProfile of a second rebuild ({out / 'rebuild.prof'}), top by own time:\n"
            + top_functions(out / "rebuild.prof")
            + "\n... and by cumulative time:\n" + top_functions(out / "rebuild.prof", 12, "cumtime")
            + f"\n\ncProfile of the {len(queries)} plain queries ({out / 'search.prof'}), top by own time:\n"
            + top_functions(out / "search.prof")
            + "\n... and by cumulative time:\n" + top_functions(out / "search.prof", 16, "cumtime"))


def _report(args, n, m, method, insert_how, insert_s, count, reindex_s, phases, calls, per_field, whoosh_size,
            rss_before, rss_after, peak_before, peak_after, whoosh_phase_peak, lemma_cache, fts, fts_build_s,
            fts_size, fts_rss_before, fts_phase_peak, wres, fres, fts_full, find_times, k, cold_first_ms,
            cold_total, applied, catch_up_ms, after_edit_ms, after_edit_warm_ms, total_run, profile_text, vocab,
            warm_reindex_s, lemma_words, lemma_load_ms):
    line = "-" * 96
    print()
    print("=" * 96)
    print(f"Ideapankki search benchmark — N = {n} published entries, M = {m} queries per mode, seed {args.seed}")
    print(f"CPUs: {os.cpu_count()} | Python {platform.python_version()} | Whoosh {whoosh.versionstring()} | "
          f"SQLite {sqlite3.sqlite_version} | pyvoikko {getattr(pyvoikko, '__version__', 'present') if pyvoikko else 'absent'}"
          f" | {platform.platform()}")
    print(f"entries inserted via {insert_how}: {insert_s:.1f}s")
    print(f"vocabulary: {len(vocab.ranked_lemmas)} lemmas / {len(vocab.forms)} surface forms from content/ "
          f"(Zipf-like over seed rank); total bench wall time {total_run:.0f}s")
    print(line)
    print(f"{'metric':<46}{'Whoosh':>14}{'FTS5':>14}{'ratio W/F':>12}")
    print(line)

    def row(label, w, f, digits=1):
        ratio = (w / f) if (w is not None and f not in (None, 0)) else None
        print(f"{label:<46}{fmt(w, digits):>14}{fmt(f, digits):>14}{fmt(ratio, 2) + '×' if ratio else '—':>12}")

    row("full reindex / build (s), new lemma cache", reindex_s, fts_build_s)
    row("full reindex (s), lasting lemma cache filled", warm_reindex_s, fts_build_s)
    print(f"  lemma cache: {lemma_words} words read by a new process in {lemma_load_ms:.0f} ms")
    row("index size on disk (MB)", whoosh_size, fts_size)
    if getattr(fts, "split", None):
        print("  FTS5 file: " + ", ".join(f"{k} {v:.1f} MB" for k, v in fts.split.items())
              + " (Whoosh also stores title/summary/body for highlights)")
    if whoosh_phase_peak is not None:
        row("peak RSS during build (MB, VmHWM)", whoosh_phase_peak, fts_phase_peak)
    row("RSS before build (MB)", rss_before, fts_rss_before)
    print(f"{'  ru_maxrss before → after reindex (MB)':<46}{fmt(peak_before) + ' → ' + fmt(peak_after):>28}")
    print(f"{'  RSS after reindex (MB)':<46}{fmt(rss_after):>14}")
    labels = {"plain": "plain (page 1, no filters)", "facets": "facets (common words)",
              "highlights": "highlights (per_page=20)", "filter": "filter (type or theme)"}
    for name, label in labels.items():
        row(f"search p50 {label} (ms)", wres[name].p50, fres[name].p50, 2)
        row(f"search p95 {label} (ms)", wres[name].p95, fres[name].p95, 2)
    row("search p50 plain, FTS5 doing facets+highl. (ms)", wres["plain"].p50, fts_full.p50, 2)
    row("search p95 plain, FTS5 doing facets+highl. (ms)", wres["plain"].p95, fts_full.p95, 2)
    print(line)
    print("FTS5 modes do only the named work: plain = MATCH/bm25 top 20 + COUNT; facets = top 20 + one CTE with the\n"
          "total and GROUP BY counts of all six facets (type, theme, year, trial_status, municipality, region);\n"
          "highlights = plain + fetch the 20 texts and mark lemma matches in Python; filter = plain joined on\n"
          "type / theme. Whoosh's search always counts all six facets and highlights page 1, in every mode.")
    print(line)

    # targets
    target_reindex = TARGET_REINDEX_S * n / TARGET_N
    checks = [
        (f"search p95 (plain) ≤ {TARGET_RATIO:g}× FTS5 p95", wres["plain"].p95,
         TARGET_RATIO * fres["plain"].p95, "ms"),
        (f"search p95 with facets ≤ {TARGET_FACETS_MS:g} ms", wres["facets"].p95, TARGET_FACETS_MS, "ms"),
        (f"full reindex of {TARGET_N} ≤ {TARGET_REINDEX_S:g} s"
         + ("" if n == TARGET_N else f" (scaled: {n} ≤ {target_reindex:.1f} s)"), reindex_s, target_reindex, "s"),
        ("  the same, lasting lemma cache filled (ideapankki reindex)", warm_reindex_s, target_reindex, "s"),
    ]
    print("targets")
    for label, value, limit, unit in checks:
        verdict = "PASS" if value <= limit else "FAIL"
        print(f"  {label:<56} {value:>9.1f} {unit} vs {limit:>8.1f} {unit}   {verdict}")
    print(f"  (for reference: Whoosh plain p95 / FTS5 doing facets+highlights p95 = "
          f"{wres['plain'].p95 / fts_full.p95:.2f}×)")
    print(line)

    # details
    print(f"rebuild phases (one instrumented SearchIndex.rebuild, {count} entries, wall {reindex_s:.1f}s):")
    if calls.get("forked processes"):
        _report_parallel_rebuild(phases, calls, reindex_s)
    else:
        _report_serial_rebuild(phases, calls, reindex_s, lemma_cache)
    total_field = sum(per_field.values()) or 1.0
    top = sorted(per_field.items(), key=lambda kv: -kv[1])[:8]
    print(f"  analysis by field (warm cache, {args.analysis_sample}-entry sample scaled to N): "
          + ", ".join(f"{k} {v:.1f}s ({100 * v / total_field:.0f}%)" for k, v in top))
    _report_rest(args, m, fts, wres, fres, find_times, k, cold_first_ms, cold_total, applied, catch_up_ms,
                 after_edit_ms, after_edit_warm_ms, profile_text)


def _report_parallel_rebuild(phases, calls, reindex_s) -> None:
    forked = phases.get("forked processes", 0.0)
    shown = [
        ("forked processes: read, analyse, index, write (wall)", forked),
        ("other (ids, new folder, table of contents, state, swap)", reindex_s - forked),
    ]
    for label, seconds in shown:
        print(f"  {label:<58}{seconds:>8.1f}s {100 * seconds / reindex_s:>5.1f}%")
    print("  parallel rebuild: each forked process reads its share of the entries, learns the Voikko analyses\n"
          "  of its new words and writes one segment (search/bulk.py); these clocks do not see inside them.\n"
          f"  peak RSS of the largest forked process: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:,.0f} MB")


def _report_serial_rebuild(phases, calls, reindex_s, lemma_cache) -> None:
    add = phases.get("writer.add_document", 0.0)
    ana = phases.get("analysis", 0.0)
    voikko_s = phases.get("voikko", 0.0)
    shown = [
        ("read entries (ORM query, selectinload)", phases.get("read entries (ORM query, selectinload)", 0.0)),
        ("document() (plain_text, facets)", phases.get("document() (plain_text, facets)", 0.0)),
        ("Voikko on new words (lemmas.learn)", phases.get("learn", 0.0)),
        ("writer.add_document", add),
        ("  of which analysis (tokenise, lemmatise, count: WordByWord.counts)", ana),
        ("    of which Voikko analyse() on lemma-cache misses", voikko_s),
        ("  of which postings pool, stored fields (rest)", add - ana),
        ("writer.commit (write segment)", phases.get("writer.commit (write segment)", 0.0)),
    ]
    accounted = shown[0][1] + shown[1][1] + shown[2][1] + add + shown[-1][1]
    shown.append(("other (ids, swap, session.expunge_all, loop)", reindex_s - accounted))
    for label, seconds in shown:
        print(f"  {label:<58}{seconds:>8.1f}s {100 * seconds / reindex_s:>5.1f}%")
    print(f"  Voikko calls (distinct words analysed): {calls.get('voikko', 0)}; lemma cache: "
          f"hits {lemma_cache.hits}, misses {lemma_cache.misses}")


def _report_rest(args, m, fts, wres, fres, find_times, k, cold_first_ms, cold_total, applied, catch_up_ms,
                 after_edit_ms, after_edit_warm_ms, profile_text) -> None:
    line = "-" * 96
    print("FTS5 build phases: " + ", ".join(f"{k} {v:.1f}s" for k, v in fts.timings.items()))
    print(line)
    print("Whoosh search: mean ms per query by phase (Probe around query.py functions)")
    names = ["match + filters (rest)", "facet table (cached)", "facet counting", "page + highlights",
             "spelling suggestion"]
    print(f"  {'mode':<12}" + "".join(f"{x:>24}" for x in names) + f"{'mean total':>12}{'mean hits':>11}{'mean page':>10}")
    for name, res in wres.items():
        print(f"  {name:<12}" + "".join(f"{res.phases_ms.get(x, 0.0):>24.2f}" for x in names)
              + f"{statistics.mean(res.times_ms):>12.2f}{statistics.mean(res.totals):>11.0f}"
              + f"{statistics.mean(res.page_hits):>10.1f}")
    print(f"  first search after the rebuild (cold: open searcher, build facet table): {cold_first_ms:.0f} ms "
          f"({cold_total} hits)")
    print(f"  edit 1 entry → catch_up(): {catch_up_ms:.0f} ms ({applied} applied); next search "
          f"{after_edit_ms:.0f} ms (new generation: facet table rebuilt), the one after {after_edit_warm_ms:.1f} ms")
    print(line)
    print(f"searching.find (what the API calls: refresh_if_behind + search + DB join), first {k} queries per mode:")
    for name in wres:
        s_times, f_times = find_times[name]
        overhead = [f - s for f, s in zip(f_times, s_times)]
        print(f"  {name:<12} p50 {percentile(f_times, 50):>8.2f} ms  p95 {percentile(f_times, 95):>8.2f} ms   "
              f"median overhead over search(): {statistics.median(overhead):>6.2f} ms")
    agree = sum(1 for a, b in zip(wres["plain"].totals, fres["plain"].totals) if a == b)
    ratio = [a / b for a, b in zip(wres["plain"].totals, fres["plain"].totals) if b]
    print(f"sanity: plain-mode totals equal in {agree}/{m} queries; median Whoosh/FTS5 total ratio "
          f"{statistics.median(ratio) if ratio else float('nan'):.3f} (FTS5's body column holds summary, body, tags "
          f"and places together, so a compound's parts may meet across them)")
    print("=" * 96)
    if profile_text:
        print(profile_text)


if __name__ == "__main__":
    main()
