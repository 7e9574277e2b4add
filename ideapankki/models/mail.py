"""Mail waiting to be sent (ideapankki.outbox)."""

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import _timestamp


class OutboxMail(SQLModel, table=True):
    """One message, written in the transaction of the change it tells about and sent after its commit.

    A rolled-back change takes its message with it; a committed one keeps it until it is sent
    (ideapankki.outbox). A sent message is deleted: its body may hold a single-use link.
    """

    __tablename__ = "outbox_mail"

    id: Optional[int] = Field(default=None, primary_key=True)
    created_at: datetime = _timestamp()
    recipient: str = Field(max_length=320)
    subject: str = Field(max_length=1000)
    body: str = Field(sa_type=sa.Text)
    attempts: int = Field(default=0)
    claimed_at: Optional[datetime] = Field(default=None, sa_type=sa.DateTime(timezone=True))
    last_error: Optional[str] = Field(default=None, max_length=1000)
    # further header lines as JSON (List-Unsubscribe in a follower's mail), or None
    headers: Optional[str] = Field(default=None, sa_type=sa.Text)

