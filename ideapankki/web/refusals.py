"""The true reason of a refused workflow action, in the reader's language (ideapankki.transitions' codes)."""

from __future__ import annotations

from flask_babel import gettext as _

from ..transitions import APPEAL_CLOSED, APPEAL_USED, OWN_TEXT, REJECTER, STATE, Action
from . import field_labels, labels


def comment_missing(action: Action) -> str:
    """The comment field's error: this action needs one."""
    if action == Action.appeal:
        return _("Write your reasons: why should the decision be reconsidered?")
    if action == Action.return_:
        return _("Write a comment: tell the author what to change before returning the entry.")
    if action == Action.reject:
        return _("Write the reason for the rejection: the author reads it, and the public moderation log shows it.")
    return _("Write a comment: the decision on the appeal is shown to the author and in the public moderation log.")


def not_allowed(reason: str) -> str:
    """Why this person may not make the move (a rule of the transition table)."""
    return {
        OWN_TEXT: _("You submitted or last edited this text, so another moderator publishes it (four eyes)."),
        REJECTER: _("You rejected this entry, so another moderator decides on the appeal."),
        APPEAL_USED: _("Reconsideration can be asked for once, and it has already been asked for this entry."),
        APPEAL_CLOSED: _("There is no request for reconsideration waiting for a decision."),
        STATE: _("The entry cannot be edited in its present state."),
    }.get(reason, _("You may not do this."))


def wrong_state(action: Action, state: str | None) -> str:
    """The move is not possible from the entry's present state (which has not changed)."""
    return _("This cannot be done to an entry that is “%(state)s”.",
             state=labels.STATE_LABELS.get(state or "", state))


def incomplete(keys: list[str]) -> str:
    """A draft sent for review before its required fields are filled in."""
    return _("Fill in before sending for review: %(fields)s.", fields=", ".join(field_labels.label(k) for k in keys))


def ACTION_LABELS():  # noqa: N802 - a table, built per request for the reader's language
    return {
        Action.submit: _("sent for review"), Action.take: _("taken into review"),
        Action.publish: _("published"), Action.return_: _("returned to the author"),
        Action.reject: _("rejected"), Action.archive: _("archived"),
        Action.appeal: _("asked for reconsideration"), Action.reopen: _("reopened for review"),
        Action.uphold: _("rejection upheld"),
    }
