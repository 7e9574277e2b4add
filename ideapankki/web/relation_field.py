"""The entry form's links to other entries: the picker, and their errors in the reader's language.

The picker works without JavaScript: a row's "Find" button posts the form, and the published
entries whose titles resemble what was typed come back as choices of that row (`offer`);
static/picker.js offers the same entries while one types. The domain
(content.relation_type_problem, entries.relation_problems) explains a bad relation in English
for the operator's import report; the form shows the same reason translated.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlmodel import Session
from wtforms import SelectChoice

from ..search import IndexUnavailable, SearchIndex
from ..search import results as searching

PICKS = 8  # choices offered for one search

NO_ENTRY = re.compile(r"^there is no entry '(.*)' to link to$")
KNOWN = {
    "a translation must be in another language": _l("A translation must be in another language."),
    "only an idea can have led to something": _l("Only an idea can have led to another entry."),
    "a norm proposal cannot need a norm change; use based_on or similar_to":
        _l("A norm proposal cannot need a norm change: choose “based on” or “similar to”."),
    "the entry it needs must be a norm proposal": _l("The entry it needs must be a norm proposal."),
    "an idea leads to a trial or practice": _l("An idea leads to a trial or an operating model."),
    "a translation is an entry of the same type": _l("A translation is an entry of the same type."),
    "only a practice or an idea is adapted from another practice or idea":
        _l("Only a practice or an idea is adapted from another practice or idea."),
    "an entry cannot be related to itself": _l("An entry cannot be linked to itself."),
    "the same relation is listed twice": _l("The same link is listed twice."),
}


def relation_message(english: str, key: str | None = None) -> str:
    """The reader's message for the domain's English reason a relation (KEY) cannot be saved."""
    found = NO_ENTRY.match(english)
    if found:
        return str(_l("There is no entry “%(slug)s” you could link to. Pick one from the search results.",
                      slug=found.group(1)))
    if english.endswith("is not an entry slug"):
        return str(_l("Not an entry of Ideapankki. Search by its title and pick it from the results."))
    if (key or "").endswith(".kind") and (" is not one of" in english or "missing" in english):
        return str(_l("Choose the kind of link."))
    if "missing" in english:
        return str(_l("Pick the entry to link to."))
    return str(KNOWN.get(english, _l("Check this link.")))


def filled(row) -> bool:
    """Whether a relation row of the form says anything (a kind, a picked entry or typed text)."""
    return bool(row.form.kind.data or row.form.pick.data or (row.form.entry.data or "").strip())


def offer(session: Session, index: SearchIndex, form, number: int) -> None:
    """Offer the published entries whose titles resemble row NUMBER's text as that row's choices."""
    if not 0 <= number < len(form.relations):
        return
    row = form.relations[number].form
    text = (row.entry.data or "").strip()
    try:
        found = searching.similar(session, index, text, PICKS) if len(text) >= 2 else []
    except IndexUnavailable:
        found = []
    row.pick.choices = [SelectChoice(entry.slug, entry.title) for entry, _score in found]
    row.pick.searched = True


def settle_picks(form) -> None:
    """Put each picked entry's slug in its row's text field, so the pick outlives the next post."""
    for row in form.relations:
        if row.form.pick.data:
            row.form.entry.data = row.form.pick.data
