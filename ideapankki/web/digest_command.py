"""`ideapankki moderator-digest`: mail the moderators who chose a daily digest what is waiting.

Safe to run from cron as often as you like: a moderator gets at most one digest a day (the day is
recorded on the account in the transaction that queues the mail), and nobody is mailed when
nothing waits. The mail goes through the outbox: planned and committed first, then sent; one
that the SMTP server refused waits for the next run or `ideapankki send-mail`. Links come from
IDEAPANKKI_PUBLIC_URL, as the site's own.
"""

from __future__ import annotations

from datetime import date

import click


def run(app, today: date) -> dict[str, int]:
    """Plan and send TODAY's digests on APP; return the counts."""
    from sqlmodel import Session

    from .. import moderator_notices, outbox
    from ..db import writing
    from .database import engine as app_engine
    from .moderator_mail import queue_digest
    from .notify import mail_settings

    engine = app_engine(app)
    with Session(writing(engine), expire_on_commit=False) as session:
        due = moderator_notices.digest_due(session, today)
        entries, members = moderator_notices.waiting_work(session) if due else ([], [])
        planned = 0
        if entries or members:
            for moderator in due:
                queue_digest(session, moderator, entries, members)
                moderator_notices.mark_sent(moderator, today)
                planned += 1
        session.commit()
    sent = outbox.deliver(engine, mail_settings())
    return {"due": len(due), "planned": planned, "entries": len(entries), "members": len(members),
            "sent": sent, "failed": outbox.failed(engine)}


@click.command("moderator-digest")
def moderator_digest() -> None:
    """Mail moderators who chose a daily digest what waits (at most once a day each; run it from cron)."""
    from .command_app import site_app

    with site_app() as app:
        counts = run(app, date.today())
    click.echo("{planned} digests planned for {due} moderators due ({entries} entries to review, {members} "
               "memberships to approve); {sent} messages sent, {failed} waiting after a failed try.".format(**counts))
    if counts["failed"]:
        raise SystemExit(1)
