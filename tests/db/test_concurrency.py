"""Two writers at once: a read-then-write decides on the other's result, on either database.

On SQLite the second writer waits at BEGIN IMMEDIATE; on PostgreSQL it reads the old state
freely and then waits for the row lock (`db.lock`, FOR UPDATE) before deciding.
"""

from __future__ import annotations

import threading

from sqlmodel import Session, select

from clients import PASSWORD
from factories import make_entry
from ideapankki import accounts, workflow
from ideapankki.db import session_scope
from ideapankki.models import Entry, EntryState, Revision, Role, Transition, User


def race(engine, first, second) -> BaseException | None:
    """Run FIRST in a transaction left open while SECOND starts in a thread; return SECOND's error."""
    errors: list[BaseException] = []

    def other():
        try:
            with session_scope(engine) as session:
                second(session)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            errors.append(exc)

    thread = threading.Thread(target=other)
    with session_scope(engine) as session:
        first(session)
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive(), f"the second writer did not wait: {errors}"
    thread.join(timeout=30)
    assert not thread.is_alive()
    return errors[0] if errors else None


def test_two_moderators_taking_one_entry_at_once(engine, session):
    ids = [accounts.add_user(session, email=f"mod{i}@kuntaliitto.fi", role=Role.moderator, password=PASSWORD).id
           for i in (1, 2)]
    entry_id = make_entry(session, "jonossa", state=EntryState.submitted).id
    session.commit()

    def take(moderator_id):
        return lambda s: workflow.act(s, s.get(Entry, entry_id), workflow.Action.take, s.get(User, moderator_id))

    error = race(engine, take(ids[0]), take(ids[1]))
    assert isinstance(error, workflow.WorkflowError) and "in_review" in str(error)
    with Session(engine) as fresh:
        moves = fresh.exec(select(Transition).where(Transition.entry_id == entry_id,
                                                    Transition.actor_id.is_not(None))).all()
    assert [(m.from_state, m.to_state, m.actor_id) for m in moves] == [("submitted", "in_review", ids[0])]


def test_two_admins_removing_each_other_at_once_leave_one(engine, session):
    ids = [accounts.add_user(session, email=f"admin{i}@kuntaliitto.fi", role=Role.admin, password=PASSWORD).id
           for i in (1, 2)]
    session.commit()

    def demote(actor_id, user_id):
        return lambda s: accounts.admin_update_user(s, s.get(User, actor_id), s.get(User, user_id),
                                                    Role.member, True)

    error = race(engine, demote(ids[0], ids[1]), demote(ids[1], ids[0]))
    # PostgreSQL: the second sees the last admin; SQLite: it waited at BEGIN and finds its actor demoted
    assert isinstance(error, accounts.AccountError) and error.code in ("last_admin", "forbidden")
    with Session(engine) as fresh:
        assert fresh.exec(select(User.id).where(User.role == Role.admin.value)).all() == [ids[0]]


def test_two_imports_of_one_entry_at_once_number_their_revisions(engine, session):
    entry_id = make_entry(session, "kokeilu", title="Alku").id

    def edit(title):
        return lambda s: make_entry(s, "kokeilu", title=title, commit=False)

    assert race(engine, edit("Eka muutos"), edit("Toka muutos")) is None
    with Session(engine) as fresh:
        numbers = fresh.exec(select(Revision.number).where(Revision.entry_id == entry_id)
                             .order_by(Revision.number)).all()
        assert numbers == [1, 2, 3]
        assert fresh.get(Entry, entry_id).title == "Toka muutos"
