"""Which kind of typed link may join which types of entry (the content format's `relations`).

Pure: the content format checks the source side when it parses, the entries module both sides
when the target is known.
"""

from __future__ import annotations

from .models import EntryType, RelationKind


def relation_type_problem(kind: str, source_type: str, target_type: str | None) -> str | None:
    """Why KIND cannot link an entry of SOURCE_TYPE to one of TARGET_TYPE (None: it can).

    An idea *led to* a trial or model; a trial (or an idea for one) *needs* a norm change; any
    entry can be *based on* or *similar to* another; a practice or idea can be *adapted from* another
    practice or idea. TARGET_TYPE None checks the source side alone.
    """
    if kind == RelationKind.led_to.value and source_type != EntryType.idea.value:
        return "only an idea can have led to something"
    if kind == RelationKind.needs_norm_change.value:
        if source_type == EntryType.norm.value:
            return "a norm proposal cannot need a norm change; use based_on or similar_to"
        if target_type is not None and target_type != EntryType.norm.value:
            return "the entry it needs must be a norm proposal"
    if kind == RelationKind.led_to.value and target_type is not None and target_type != EntryType.practice.value:
        return "an idea leads to a trial or practice"
    if kind == RelationKind.translation_of.value and target_type is not None and target_type != source_type:
        return "a translation is an entry of the same type"
    if kind == RelationKind.adapted_from.value and EntryType.norm.value in (source_type, target_type):
        return "only a practice or an idea is adapted from another practice or idea"
    return None
