"""The thesaurus in the database: seed, read, import/export (all or nothing), moderators' edits.

Every write checks who may make it (moderators and admins; the CLI acts as the operator), keeps
the set valid (vocabulary_format's checks), writes an audit row (VocabularyChange, mirrored to
the `ideapankki.audit` log) and moves VocabularyState.version in the same transaction, which
each worker compares before a search (ideapankki.search.thesaurus): no reindex is needed.
"""

from __future__ import annotations

import copy
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from . import logs
from .config import DATA_DIR
from .models import (User, VocabularyChange, VocabularyConcept, VocabularyLabel, VocabularyLink, VocabularyState,
                     utcnow)
from .vocabulary_format import Concept, VocabularyError, check_all, check_concept, parse_vocabulary

SHIPPED_FILE = DATA_DIR / "vocabulary.yaml"
WRITE_BATCH = 100  # concepts whose labels and links are written at a time (a step of the progress bar)


class VocabularyForbidden(PermissionError):
    """The actor may not change the thesaurus."""


def read_file(path: Path) -> list[Concept]:
    """Parse the thesaurus file at PATH (VocabularyError names the file and each concept).

    A text parsed before in this process is not parsed again (1.5 s of YAML for the shipped file,
    which every new database is seeded from): the caller gets its own copy.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise VocabularyError([f"{path}: cannot be read: {exc}"]) from None
    key = (str(path), text)
    if key not in _PARSED:
        if len(_PARSED) >= 4:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = parse_vocabulary(text, str(path))
    return copy.deepcopy(_PARSED[key])


_PARSED: dict[tuple[str, str], list[Concept]] = {}


def version(session: Session) -> int:
    state = session.get(VocabularyState, 1)
    return state.version if state is not None else 0


def _bump(session: Session) -> None:
    updated = session.execute(sa.update(VocabularyState).where(VocabularyState.id == 1)
                              .values(version=VocabularyState.version + 1))
    if not updated.rowcount:
        session.add(VocabularyState(id=1, version=1))
    session.flush()


def _audit(session: Session, actor: User | None, key: str, action: str, summary: str) -> None:
    row = VocabularyChange(concept_key=key, action=action, actor_id=actor.id if actor else None, summary=summary)
    session.add(row)
    _bump(session)
    logs.audit(session, "vocabulary", action=action, concept=key, actor_id=row.actor_id)


def _require_moderator(actor: User | None) -> None:
    if actor is not None and not actor.is_moderator:
        raise VocabularyForbidden("only moderators and admins maintain the thesaurus")


def load_concepts(session: Session) -> list[Concept]:
    """Every concept with its labels and links, in file order (plain rows: no ORM object per label)."""
    concepts, labels, links = VocabularyConcept.__table__.c, VocabularyLabel.__table__.c, VocabularyLink.__table__.c
    rows = session.execute(sa.select(concepts.id, concepts.key, concepts.theme_slug, concepts.region_code,
                                     concepts.note, concepts.exact_match).order_by(concepts.id))
    by_id = {cid: Concept(key=key, theme=theme, region=region, note=note,
                          exact_match=[u for u in exact.splitlines() if u])
             for cid, key, theme, region, note, exact in rows}
    for concept_id, kind, language, text in session.execute(
            sa.select(labels.concept_id, labels.kind, labels.language, labels.text)
            .order_by(labels.concept_id, labels.position)):
        concept = by_id[concept_id]
        target = concept.hidden if kind == "hidden" else concept.labels
        target.setdefault(language, []).append(text)
    for concept_id, kind, target_id in session.execute(
            sa.select(links.concept_id, links.kind, links.target_id).order_by(links.concept_id, links.position)):
        getattr(by_id[concept_id], kind).append(by_id[target_id].key)
    return list(by_id.values())


def _write_children(session: Session, ids: dict[str, int], concepts: list[Concept]) -> None:
    labels, links = [], []
    for concept in concepts:
        cid = ids[concept.key]
        labels += [{"concept_id": cid, "kind": kind, "language": language, "text": text, "position": i}
                   for i, (kind, language, text) in enumerate(concept.all_labels())]
        links += [{"concept_id": cid, "kind": kind, "target_id": ids[target], "position": i}
                  for kind in ("broader", "related") for i, target in enumerate(getattr(concept, kind))]
    if labels:
        session.execute(sa.insert(VocabularyLabel), labels)
    if links:
        session.execute(sa.insert(VocabularyLink), links)


def _columns(concept: Concept) -> dict:
    return {"key": concept.key, "theme_slug": concept.theme, "region_code": concept.region, "note": concept.note,
            "exact_match": "\n".join(concept.exact_match), "updated_at": utcnow()}


def replace_all(session: Session, concepts: list[Concept], actor: User | None = None, action: str = "import",
                progress=None) -> int:
    """Make CONCEPTS the whole thesaurus (all or nothing: the caller commits); return how many.

    PROGRESS(done, total) hears of the concepts written (ideapankki.progress.bar draws it)."""
    _require_moderator(actor)
    problems = [p for c in concepts for p in check_concept(c, f"concept {c.key!r}")] + check_all(concepts, "import")
    if problems:
        raise VocabularyError(problems)
    session.execute(sa.delete(VocabularyLink))
    session.execute(sa.delete(VocabularyLabel))
    session.execute(sa.delete(VocabularyConcept))
    if concepts:
        session.execute(sa.insert(VocabularyConcept), [_columns(c) for c in concepts])
    ids = dict(session.execute(sa.select(VocabularyConcept.key, VocabularyConcept.id)).all())
    for start in range(0, len(concepts), WRITE_BATCH):  # labels and links, a batch at a time
        _write_children(session, ids, concepts[start:start + WRITE_BATCH])
        if progress is not None:
            progress(min(start + WRITE_BATCH, len(concepts)), len(concepts))
    _audit(session, actor, "*", action, f"{len(concepts)} concepts")
    return len(concepts)


def seed_if_empty(session: Session, path: Path = SHIPPED_FILE) -> int:
    """Load the shipped thesaurus into a database that never had one (init); return how many."""
    if version(session) or session.exec(select(VocabularyConcept.id).limit(1)).first() is not None:
        return 0
    return replace_all(session, read_file(path), None, "seed")


def import_file(session: Session, path: Path, actor: User | None = None, progress=None) -> int:
    """Replace the thesaurus with the file at PATH, or change nothing (VocabularyError)."""
    return replace_all(session, read_file(path), actor, "import", progress)


def save_concept(session: Session, actor: User, concept: Concept, original_key: str | None = None) -> Concept:
    """Create a concept (ORIGINAL_KEY None) or replace one's labels and links; VocabularyError if invalid."""
    _require_moderator(actor)
    if actor is None:
        raise VocabularyForbidden("an account is needed to edit the thesaurus")
    others = [c for c in load_concepts(session) if c.key != (original_key or concept.key)]
    if original_key is None and any(c.key == concept.key for c in load_concepts(session)):
        raise VocabularyError([f"concept {concept.key!r}: id already exists"])
    renamed = {original_key: concept.key} if original_key and original_key != concept.key else {}
    for other in others:  # links to a renamed concept follow it
        other.broader = [renamed.get(k, k) for k in other.broader]
        other.related = [renamed.get(k, k) for k in other.related]
    problems = check_concept(concept, f"concept {concept.key!r}") + check_all([*others, concept], "thesaurus")
    if problems:
        raise VocabularyError(problems)
    row = session.exec(select(VocabularyConcept).where(VocabularyConcept.key == (original_key or concept.key))).first()
    if row is None:
        if original_key is not None:
            raise LookupError(original_key)
        row = VocabularyConcept(**_columns(concept))
        session.add(row)
    else:
        for name, value in _columns(concept).items():
            setattr(row, name, value)
        session.execute(sa.delete(VocabularyLabel).where(VocabularyLabel.concept_id == row.id))
        session.execute(sa.delete(VocabularyLink).where(VocabularyLink.concept_id == row.id))
    session.flush()
    ids = dict(session.execute(sa.select(VocabularyConcept.key, VocabularyConcept.id)).all())
    _write_children(session, ids, [concept])
    action = "create" if original_key is None else "update"
    _audit(session, actor, concept.key, action, _summary(concept))
    return concept


def delete_concept(session: Session, actor: User, key: str) -> None:
    """Remove a concept (links to it go with it)."""
    _require_moderator(actor)
    if actor is None:
        raise VocabularyForbidden("an account is needed to edit the thesaurus")
    row = session.exec(select(VocabularyConcept).where(VocabularyConcept.key == key)).first()
    if row is None:
        raise LookupError(key)
    session.execute(sa.delete(VocabularyLink).where(sa.or_(VocabularyLink.concept_id == row.id,
                                                          VocabularyLink.target_id == row.id)))
    session.execute(sa.delete(VocabularyLabel).where(VocabularyLabel.concept_id == row.id))
    session.delete(row)
    session.flush()
    _audit(session, actor, key, "delete", "")


def _summary(concept: Concept) -> str:
    return "; ".join(f"{language}: {', '.join(labels)}" for language, labels in concept.labels.items())[:1000]


def find_concepts(session: Session, text: str, limit: int = 50) -> list[Concept]:
    """Concepts whose id or any label contains TEXT (case-insensitive); all of them for empty TEXT."""
    needle = " ".join(text.split()).lower()
    concepts = load_concepts(session)
    if not needle:
        return concepts[:limit]
    found = [c for c in concepts
             if needle in c.key or any(needle in t.lower() for _k, _l, t in c.all_labels())]
    return found[:limit]


def concept(session: Session, key: str) -> Concept | None:
    return next((c for c in load_concepts(session) if c.key == key), None)


def history(session: Session, limit: int = 50, key: str | None = None) -> list[VocabularyChange]:
    query = select(VocabularyChange).order_by(VocabularyChange.id.desc()).limit(limit)
    if key is not None:
        query = query.where(VocabularyChange.concept_key == key)
    return list(session.exec(query))
