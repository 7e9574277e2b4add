"""`ideapankki notify`: mail followers their digests; an operator runs it every few minutes.

One run: expire unconfirmed requests, bring the search index up to date (followed searches are
matched through it), plan the digests in one writing transaction (ideapankki.digests: at most
NOTIFY_PER_RUN, each address at most NOTIFY_PER_ADDRESS_DAY a day), commit, then send every
message waiting in the outbox (claimed one by one: ideapankki.outbox). Two runs at once plan one
after the other and never claim the same message; a run killed at any point loses nothing
(planned mail waits in the outbox, a claimed one is taken again once its lease has passed) and
sends nothing twice. The mails are built as the site builds its pages: the app, its
translations and its public URL.
"""

from __future__ import annotations

import logging
import sys
from urllib.parse import parse_qsl

import click

log = logging.getLogger(__name__)


def run(app, limit: int | None = None) -> dict[str, int]:
    """One run on APP; returns its counts. Raises IndexUnavailable (nothing planned) when a
    followed search cannot be matched."""
    from sqlmodel import Session

    from .. import browse, digests, following, outbox
    from ..db import writing
    from .database import engine as app_engine
    from .follow_mail import MAX_ITEMS, queue_digest
    from .index import search_index
    from .notify import mail_settings

    engine, index = app_engine(app), search_index(app)
    index.catch_up()

    translated = {}  # (entry id, language) -> the entry to show: one look-up per run, not per mail

    def render(session, follower, items):
        shown = []
        for item in items[:MAX_ITEMS]:
            key = (item.entry.id, follower.language)
            if key not in translated:
                translated[key] = digests.in_language(session, item.entry, follower.language)
            shown.append((translated[key], item.kinds))
        queue_digest(session, follower, shown, len(items))

    with Session(writing(engine), expire_on_commit=False) as session:
        def matches(query: str) -> set[int]:
            pairs = dict(parse_qsl(query))
            return index.matching(pairs.pop("q", ""), browse.parse_filters(session, pairs))

        expired = following.expire(session)
        planned = digests.plan(session, render, matches, limit=limit or app.config["NOTIFY_PER_RUN"],
                               per_day=app.config["NOTIFY_PER_ADDRESS_DAY"])
        digests.prune(session)
        session.commit()
    sent = outbox.deliver(engine, mail_settings())
    return {"events": planned.events, "digests": planned.digests, "left": planned.followers_left,
            "expired": expired, "sent": sent, "waiting": outbox.waiting(engine), "failed": outbox.failed(engine)}


@click.command("notify")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Digests to plan in this run (default: IDEAPANKKI_NOTIFY_PER_RUN).")
def notify(limit: int | None) -> None:
    """Mail followers what is new in what they follow (run it every few minutes from a timer)."""
    from .command_app import site_app  # shared with `moderator-digest`

    with site_app() as app:
        counts = run(app, limit)
    click.echo("{events} new events, {digests} digests planned ({left} followers wait for the next run), "
               "{expired} unconfirmed addresses expired; {sent} messages sent, {waiting} waiting "
               "({failed} after a failed try).".format(**counts))
    if counts["failed"]:
        sys.exit(1)  # the SMTP server refused or was down: the timer's next run tries again
