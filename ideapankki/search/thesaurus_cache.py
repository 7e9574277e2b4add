"""Each database's current thesaurus for this process: read when its version moves, compiled once
per content.

A search asks VocabularyCache.current() (one primary-key read of the thesaurus' version, or the
version the caller just read); a moved version reads the concepts, labels and broader links again.
Compiling them (search.thesaurus.Thesaurus: every label's word forms) costs far more than reading
them, so a compiled thesaurus is kept by a hash of what was read: databases with the same thesaurus
(versions are not comparable across databases) share one, and an edit that is undone finds its
compilation again. `prepare` compiles a server's thesaurus in its master before the fork.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..models import VocabularyConcept, VocabularyLabel, VocabularyLink, VocabularyState
from .thesaurus import Thesaurus, _Concept, _Label, tokens

MAX_COMPILED = 4  # thesauri kept by content: one in a server; the seed's and a few edits' in the tests

_PREPARED: dict[tuple[str, bool], Thesaurus] = {}  # built in a server's master, adopted by its workers
_COMPILED: OrderedDict[tuple[str, bool], Thesaurus] = OrderedDict()  # (content hash, voikko) -> compiled
_compiled_lock = threading.Lock()


def prepare(engine: Engine, voikko: bool) -> Thesaurus | None:
    """Build the current thesaurus of ENGINE's database ahead of any search, in a server's master
    before it forks: each worker adopts it (VocabularyCache) while its version is still current,
    sharing its pages copy-on-write, instead of building its own on a reader's first search."""
    built = VocabularyCache(engine, voikko).current()
    if built is not None:
        _PREPARED[(repr(engine.url), voikko)] = built
    return built


class VocabularyCache:
    """The current thesaurus of one database for this process: reloaded when its version moves."""

    def __init__(self, engine: Engine, voikko: bool):
        self.engine, self.voikko = engine, voikko
        self._current: Thesaurus | None = _PREPARED.get((repr(engine.url), voikko))
        self._lock = threading.Lock()

    def current(self, version: int | None | bool = False) -> Thesaurus | None:
        """The thesaurus as of now (one primary-key read, or VERSION if the caller just read it;
        a reload after an edit); None without one."""
        if version is False:
            try:
                with self.engine.connect() as connection:
                    version = connection.execute(sa.select(VocabularyState.version)
                                                 .where(VocabularyState.id == 1)).scalar()
            except sa.exc.SQLAlchemyError:  # a database older than the thesaurus: search without it
                return None
        if version is None:
            return None
        current = self._current
        if current is not None and current.version == version:
            return current
        with self._lock:
            if self._current is None or self._current.version != version:
                self._current = self._load(version)
            return self._current

    def _load(self, version: int) -> Thesaurus:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(VocabularyConcept.id, VocabularyConcept.key,
                                                VocabularyConcept.theme_slug, VocabularyConcept.region_code)
                                      .order_by(VocabularyConcept.id)).all()
            labels = connection.execute(sa.select(VocabularyLabel.concept_id, VocabularyLabel.kind,
                                                  VocabularyLabel.language, VocabularyLabel.text)
                                        .order_by(VocabularyLabel.concept_id, VocabularyLabel.position)).all()
            links = connection.execute(sa.select(VocabularyLink.concept_id, VocabularyLink.target_id)
                                       .where(VocabularyLink.kind == "broader")
                                       .order_by(VocabularyLink.target_id, VocabularyLink.concept_id)).all()
        content = repr([tuple(r) for r in rows] + [tuple(r) for r in labels] + [tuple(r) for r in links])
        key = (hashlib.sha256(content.encode()).hexdigest(), self.voikko)
        with _compiled_lock:
            compiled = _COMPILED.get(key)
            if compiled is not None:
                _COMPILED.move_to_end(key)
        if compiled is None:  # compiled outside the lock: two threads may both compile, one is kept
            compiled = _compile(rows, labels, links, self.voikko)
            with _compiled_lock:
                _COMPILED[key] = compiled
                while len(_COMPILED) > MAX_COMPILED:
                    _COMPILED.popitem(last=False)
        return compiled.at(version)


def _compile(rows, labels, links, voikko: bool) -> Thesaurus:
    concepts = {row.id: _Concept(row.key, row.theme_slug, row.region_code) for row in rows}
    same: dict[str, str] = {}  # one string per language, kind and word: each row had its own copies
    for label in labels:
        concepts[label.concept_id].labels.append(_Label(
            same.setdefault(label.language, label.language), label.text,
            [same.setdefault(word, word) for word in tokens(label.text)], same.setdefault(label.kind, label.kind)))
    position = {concept_id: i for i, concept_id in enumerate(concepts)}
    for link in links:
        concepts[link.target_id].narrower.append(position[link.concept_id])
    return Thesaurus(list(concepts.values()), voikko)
