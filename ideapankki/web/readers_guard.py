"""The guard of the readers' forms (report an error, follow by e-mail), which need no account: a
honeypot field instead of a CAPTCHA, and a limit an hour (ideapankki.limits), checked alike on the
way into either form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from .. import limits


def honeypot() -> StringField:
    """The field a person leaves empty (hidden from people, site.css) and a robot fills (named `website`)."""
    return StringField(_l("Leave this field empty"))


@dataclass(frozen=True)
class Verdict:
    robot: bool = False  # the honeypot was filled: answer as to anyone, keep and send nothing
    retry_after: int | None = None  # past the limit: answer 429 with the form, its error and this header

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


def check(form, count: Callable[[], None], message: Callable[[int], str]) -> Verdict:
    """Whether FORM (valid, with a `website` honeypot) may go on. A robot is not counted; otherwise
    COUNT records this use and raises past the limit, when the form gets MESSAGE(minutes to wait)."""
    if form.website.data:
        return Verdict(robot=True)
    try:
        count()
    except (limits.RateLimited, limits.TooManyMails) as exc:
        form.form_errors.append(message(-(-exc.retry_after // 60)))
        return Verdict(retry_after=exc.retry_after)
    return Verdict()
