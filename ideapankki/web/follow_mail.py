"""What a follower reads: the confirmation mail, the digests, and the names of what is followed.

Every text is in the follower's own language (force_locale), every link absolute from the public
URL. Each mail to a confirmed follower carries its unsubscribe link in the body and in the
`List-Unsubscribe` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` headers (RFC 8058).
A digest is written from published entries only (ideapankki.digests has chosen them).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import url_for
from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from sqlmodel import Session, select

from .. import outbox
from ..models import Entry, EventKind, FollowKind, Follower, Municipality, Programme, Subscription
from . import labels

MAX_ITEMS = 50  # entries listed in one digest; the rest are counted, with a link to the newest
KIND_LABELS = {
    FollowKind.all.value: _l("Everything published"),
    FollowKind.entry.value: _l("Entry"),
    FollowKind.theme.value: _l("Theme"),
    FollowKind.municipality.value: _l("Municipality"),
    FollowKind.region.value: _l("Region"),
    FollowKind.programme.value: _l("Trial programme"),
    FollowKind.search.value: _l("Search"),
}
EVENT_LABELS = {
    EventKind.published.value: _l("Published"),
    EventKind.version.value: _l("New version"),
    EventKind.norm_status.value: _l("Norm proposal status changed"),
    EventKind.adoption.value: _l("Taken up by another municipality"),
}
FREQUENCY_LABELS = {
    "immediate": _l("Right away (at most a few mails a day)"),
    "daily": _l("Once a day"),
    "weekly": _l("Once a week"),
}


def describe(session: Session, kind: str, value: str) -> str:
    """What KIND/VALUE follows, in the reader's language: "Theme: Housing", "Search: koulu"."""
    what = ""
    if kind == FollowKind.entry.value:
        entry = session.get(Entry, int(value)) if value.isdigit() else None
        what = entry.title if entry is not None and entry.state == "published" else "–"
    elif kind == FollowKind.theme.value:
        what = str(labels.THEME_LABELS.get(value, value))
    elif kind == FollowKind.municipality.value:
        municipality = session.get(Municipality, value)
        what = labels.municipality_name(municipality) if municipality else value
    elif kind == FollowKind.region.value:
        municipality = session.exec(select(Municipality).where(Municipality.region_code == value)).first()
        what = labels.region_name(municipality.region_fi, municipality.region_sv) if municipality else value
    elif kind == FollowKind.programme.value:
        programme = session.get(Programme, value)
        what = programme.title if programme else value
    elif kind == FollowKind.search.value:
        what = ", ".join(f"“{v}”" if k == "q" else f"{k}={v}" for k, v in parse_qsl(value))
    label = str(KIND_LABELS[kind])
    return f"{label}: {what}" if what else label


def list_headers(follower: Follower) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: a POST to this address ends everything FOLLOWER follows."""
    return {"List-Unsubscribe": f"<{url_for('follow.unsubscribe', token=follower.token, _external=True)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _footer(follower: Follower) -> str:
    return _("Manage what you follow:\n%(manage)s\n\nStop all mail from Ideapankki to this address:\n%(stop)s",
             manage=url_for("follow.manage", token=follower.token, _external=True),
             stop=url_for("follow.unsubscribe", token=follower.token, _external=True))


def queue_confirmation(session: Session, follower: Follower, subscription: Subscription) -> None:
    """Mail the link that confirms SUBSCRIPTION (in the follower's language)."""
    with force_locale(follower.language):
        what = describe(session, subscription.kind, subscription.value)
        link = url_for("follow.confirm", token=subscription.confirm_token, _external=True)
        body = _("Hello,\n\nsomeone, hopefully you, asked to follow this at Ideapankki by e-mail:\n%(what)s\n\n"
                 "Confirm it by opening this link:\n%(link)s\n\nThe link is valid for two days. If you did not ask "
                 "for this, ignore this message: nothing is sent to you and the request is deleted.",
                 what=what, link=link)
        outbox.queue(session, follower.email, _("Confirm that you want to follow Ideapankki"), body)


def queue_digest(session: Session, follower: Follower, items: list[tuple[Entry, list[str]]],
                 total: int | None = None) -> None:
    """Queue one mail to FOLLOWER listing ITEMS (published entries and what happened to each; at
    most MAX_ITEMS are listed) of TOTAL entries with news (default: all of ITEMS)."""
    total = len(items) if total is None else total
    with force_locale(follower.language):
        lines = []
        for entry, kinds in items[:MAX_ITEMS]:
            happened = ", ".join(str(EVENT_LABELS[k]) for k in kinds)
            lines.append(f"{entry.title}\n{happened} · {labels.TYPE_LABELS[entry.type]}\n{entry.summary.strip()}\n"
                         f"{url_for('public.entry', slug=entry.slug, _external=True)}")
        if total == 1:
            subject = _("Ideapankki: %(title)s", title=items[0][0].title)
        else:
            subject = _("Ideapankki: %(count)s new or changed entries", count=total)
        if total > len(lines):
            lines.append(_("… and %(count)s more: %(link)s", count=total - len(lines),
                           link=url_for("public.entries", _external=True)))
        intro = _("New and changed entries in what you follow at Ideapankki:")
        body = "\n\n".join([intro, *lines, "—", _footer(follower)]) + "\n"
        outbox.queue(session, follower.email, subject, body, list_headers(follower))
