"""The one table of the moderation workflow: the allowed moves, the edit rights, and who may make each.

States: draft → submitted → in_review → published | returned | rejected; published → archived.
An edit of a published entry is a revision that walks the same path while the published text
stays live (ideapankki.revisions). The moves are made by ideapankki.workflow; these rules know
nothing of the database (what they need of it comes as `Facts`), so they are checked alike in the
domain, the views and the tests. The table alone answers "who can do what":

- four eyes (FOUR_EYES): nobody publishes text they submitted or last edited; a moderator who
  rewrote an entry in review leaves the publishing to another. A site with one moderator sets
  IDEAPANKKI_SINGLE_MODERATOR=1: an admin may then waive the rule, explicitly, per publication,
  and the audit row and the public moderation log say so;
- appeals: the author of a rejected entry may ask once (ONCE) for reconsideration with reasons;
  a moderator other than the one who rejected it (NOT_THE_REJECTER) reopens it (back into
  review) or upholds the rejection, with a comment the public log shows.

A refusal carries its true reason: CommentRequired (the comment field, HTTP 400), NotAllowed with
a reason code (HTTP 403), WorkflowError when the state does not allow the move (HTTP 409 only
when the state changed since the person looked).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .models import Entry, EntryState, User

S = EntryState

AUTHOR = "author"  # a member of the entry's organisation, or its author
MODERATOR = "moderator"  # a moderator or an admin


class Action(str, enum.Enum):
    submit = "submit"
    take = "take"  # into review
    publish = "publish"
    return_ = "return"
    reject = "reject"
    archive = "archive"
    appeal = "appeal"  # the author asks for reconsideration of a rejection
    reopen = "reopen"  # the appeal is granted: the entry goes back into review
    uphold = "uphold"  # the appeal is refused: the entry stays rejected


FOUR_EYES = "four_eyes"  # not by someone who submitted or last edited the text
ONCE = "once"  # at most once per entry
NOT_THE_REJECTER = "not_the_rejecter"  # not by the moderator who rejected the entry, and only on an open appeal


@dataclass(frozen=True)
class Move:
    source: EntryState
    action: Action
    target: EntryState
    who: str
    needs_comment: bool = False
    rule: str | None = None
    irreversible: bool = False  # asks for a confirmation before it is made


TRANSITIONS: tuple[Move, ...] = (
    Move(S.draft, Action.submit, S.submitted, AUTHOR),
    Move(S.returned, Action.submit, S.submitted, AUTHOR),
    Move(S.submitted, Action.take, S.in_review, MODERATOR),
    Move(S.in_review, Action.publish, S.published, MODERATOR, rule=FOUR_EYES),
    Move(S.in_review, Action.return_, S.returned, MODERATOR, needs_comment=True),
    Move(S.in_review, Action.reject, S.rejected, MODERATOR, needs_comment=True, irreversible=True),
    Move(S.published, Action.archive, S.archived, MODERATOR, irreversible=True),
    Move(S.rejected, Action.appeal, S.rejected, AUTHOR, needs_comment=True, rule=ONCE),
    Move(S.rejected, Action.reopen, S.in_review, MODERATOR, needs_comment=True, rule=NOT_THE_REJECTER),
    Move(S.rejected, Action.uphold, S.rejected, MODERATOR, needs_comment=True, rule=NOT_THE_REJECTER,
         irreversible=True),
)


@dataclass(frozen=True)
class Facts:
    """What the rules need to know of an entry's past (read by ideapankki.workflow.facts)."""

    text_authors: frozenset[int] = frozenset()  # who submitted or last edited the text a publish would show
    rejected_by: int | None = None  # the moderator of the latest rejection
    appeal_open: bool = False  # the author's appeal waits for a decision
    appeal_used: bool = False  # the author has appealed (once is all)
    may_waive: bool = False  # IDEAPANKKI_SINGLE_MODERATOR: an admin may waive four eyes, when they ask to


@dataclass(frozen=True)
class Edit:
    """WHO may edit an entry whose workflow subject (the entry, or its pending revision) is in STATE."""

    state: EntryState
    who: str


EDITS: tuple[Edit, ...] = (
    Edit(S.draft, AUTHOR),
    Edit(S.returned, AUTHOR),
    Edit(S.published, AUTHOR),  # as a new revision; the published text stays live until it is published
    Edit(S.in_review, MODERATOR),
)


class WorkflowError(ValueError):
    """A move that the table does not allow from the current STATE (HTTP 409 when it changed meanwhile)."""

    def __init__(self, message: str, state: str | None = None):
        super().__init__(message)
        self.state = state


class CommentRequired(WorkflowError):
    """The move needs a comment (a reason) and none was written: the comment field's error (HTTP 400)."""

    field = "comment"


# NotAllowed reasons: the one the reader is told
ROLE, OWN_TEXT, REJECTER, APPEAL_USED, APPEAL_CLOSED, STATE = (
    "role", "own_text", "rejecter", "appeal_used", "appeal_closed", "state")


class NotAllowed(PermissionError):
    """A move or edit this actor may not make (HTTP 403), with the REASON (one of the codes above)."""

    def __init__(self, message: str, reason: str = ROLE):
        super().__init__(message)
        self.reason = reason


def find_move(source: str, action: Action) -> Move | None:
    """Return the allowed move for ACTION from SOURCE, or None."""
    return next((m for m in TRANSITIONS if m.source.value == source and m.action == action), None)


def belongs_to(actor: User | None, entry: Entry) -> bool:
    """Tell whether ACTOR wrote ENTRY or is an approved member of its organisation."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return entry.author_id == actor.id or (
        entry.organisation_id is not None and entry.organisation_id == actor.organisation_id
        and actor.membership_approved_at is not None
    )


def can_view(actor: User | None, entry: Entry) -> bool:
    """Published entries are public; the rest only for their organisation and moderators."""
    if entry.state == S.published.value:
        return True
    return actor is not None and getattr(actor, "is_authenticated", False) and (
        actor.is_moderator or belongs_to(actor, entry))


def may_follow_review(actor: User, entry: Entry) -> bool:
    """Moderators and the entry's own organisation see its review page, saved versions and diffs."""
    return actor.is_moderator or belongs_to(actor, entry)


def _acts_as(actor: User | None, who: str, entry: Entry) -> bool:
    if who == MODERATOR:
        return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_moderator
    return belongs_to(actor, entry) and actor.can_submit


def refusal(actor: User, move: Move, entry: Entry, facts: Facts = Facts(), waive: bool = False) -> str | None:
    """Why ACTOR may not make MOVE on ENTRY (a NotAllowed reason), or None when they may.

    WAIVE: an admin asks to publish their own text on a single-moderator site (FACTS.may_waive)."""
    if not _acts_as(actor, move.who, entry):
        return ROLE
    if move.rule == FOUR_EYES and actor.id in facts.text_authors:
        return None if waive and facts.may_waive and actor.is_admin else OWN_TEXT
    if move.rule == ONCE and facts.appeal_used:
        return APPEAL_USED
    if move.rule == NOT_THE_REJECTER:
        if not facts.appeal_open:
            return APPEAL_CLOSED
        if actor.id == facts.rejected_by:
            return REJECTER
    return None


def may(actor: User, move: Move, entry: Entry, facts: Facts = Facts()) -> bool:
    """Tell whether ACTOR may make MOVE (by the table and its rule; waiving four eyes is never assumed)."""
    return refusal(actor, move, entry, facts) is None


def may_edit(actor: User, entry: Entry, state: str) -> bool:
    """Tell whether ACTOR may edit ENTRY when its workflow subject is in STATE (the EDITS table)."""
    return any(edit.state.value == state and _acts_as(actor, edit.who, entry) for edit in EDITS)


def edit_refusal(actor: User, entry: Entry, state: str) -> str | None:
    """Why ACTOR may not edit ENTRY now: STATE (they may in another state), ROLE (never), or None."""
    if may_edit(actor, entry, state):
        return None
    return STATE if any(_acts_as(actor, edit.who, entry) for edit in EDITS) else ROLE
