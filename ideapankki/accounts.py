"""Accounts: registration, e-mail confirmation, membership approval, passwords, log-in throttling.

Domain functions: they take a session and flush; no Flask. Passwords are hashed with
argon2id; a password must be at least 12 characters and not guessable (zxcvbn, which knows
the 30,000 most common passwords and their variants). Logging in, and its throttle, are in
login.py and login_throttle.py.
"""

from __future__ import annotations

import re
import secrets
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select
from zxcvbn import zxcvbn

from .reference import MunicipalityIndex
from .models import Language, Municipality, Organisation, OrganisationKind, Role, User, utcnow

MIN_PASSWORD_LENGTH = 12
MIN_PASSWORD_SCORE = 4  # zxcvbn: 4 = over 10^10 guesses, "very unguessable"

PRODUCTION_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
_hasher = PRODUCTION_HASHER
_dummy_hash: str | None = None  # dummy_hash()


def dummy_hash() -> str:
    """A hash of no one's password at the current cost: verifying against it keeps the time of a
    log-in for an unknown e-mail like a real one. Made on first use, not on import: a hash at
    production cost is ~0.15 CPU-s (and 64 MiB) that every command importing this module paid,
    `notify` from a timer every few minutes among them, while only a site process logs anyone in;
    those make it before they serve (serving.server.share_with_workers, dev_server.demo_app)."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(secrets.token_urlsafe(16))
    return _dummy_hash


def use_password_hasher(hasher: PasswordHasher) -> None:
    """Hash and verify with HASHER from now on, in this process.

    Only the test suite calls this, with cheap parameters: thousands of log-ins at 0.1-0.3 s
    each would be minutes of its run. The site always runs with PRODUCTION_HASHER.
    """
    global _hasher, _dummy_hash
    _hasher, _dummy_hash = hasher, None
    dummy_hash()


class AccountError(ValueError):
    """A request about an account that cannot be done; CODE says which field or reason."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def password_problem(password: str, *context: str) -> str | None:
    """Return why PASSWORD is not acceptable ("too_short", "too_common"), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "too_short"
    # The person's own name and address parts are easy guesses too (maija@kajaani.fi → maija, kajaani).
    words = [w for c in context if c for w in re.split(r"[^\w]+", c.lower()) if len(w) > 2]
    if zxcvbn(password[:100], user_inputs=words)["score"] < MIN_PASSWORD_SCORE:
        return "too_common"
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    """Check PASSWORD; upgrade the stored hash when the parameters have moved on."""
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return True


def get_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def municipality_organisation(session: Session, municipality: Municipality) -> Organisation:
    """Return the organisation of MUNICIPALITY, creating it on first use."""
    org = session.exec(select(Organisation).where(Organisation.municipality_code == municipality.code)).first()
    if org is None:
        org = Organisation(name=municipality.name_fi, kind=OrganisationKind.municipality.value,
                           municipality_code=municipality.code)
        session.add(org)
        session.flush()
    return org


def find_or_create_organisation(session: Session, name: str) -> Organisation:
    """Return the organisation NAME: an existing one, a municipality's, or a new group."""
    org = session.exec(select(Organisation).where(Organisation.name == name.strip())).first()
    if org is not None:
        return org
    code = MunicipalityIndex.from_session(session).resolve(name)
    if code is not None:
        return municipality_organisation(session, session.get(Municipality, code))
    org = Organisation(name=name.strip(), kind=OrganisationKind.group.value)
    session.add(org)
    session.flush()
    return org


def register(session: Session, *, email: str, name: str, password: str, organisation: Organisation,
             language: str = Language.fi.value) -> User:
    """Create an unconfirmed member account of ORGANISATION whose mail is in LANGUAGE.

    The password is judged and hashed before the address is looked up: a taken address
    ("email_taken") then costs the same time and gets the same password errors as a new one.
    """
    email = normalise_email(email)
    problem = password_problem(password, email, name)
    if problem:
        raise AccountError(problem, "the password is not acceptable")
    password_hash = hash_password(password)
    if get_by_email(session, email) is not None:
        raise AccountError("email_taken", "an account with this e-mail address exists")
    user = User(email=email, name=name.strip(), password_hash=password_hash, role=Role.member.value,
                organisation_id=organisation.id,
                language=language if language in {n.value for n in Language} else Language.fi.value)
    session.add(user)
    session.flush()
    return user


def confirm_email(session: Session, user: User) -> None:
    """Mark the e-mail confirmed; approve the membership when the organisation trusts its domain."""
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    org = session.get(Organisation, user.organisation_id) if user.organisation_id else None
    domain = user.email.rsplit("@", 1)[-1]
    if org and org.auto_approve_domain and domain == org.auto_approve_domain.lower() and not user.membership_approved_at:
        user.membership_approved_at = utcnow()
    session.flush()


def approve_membership(session: Session, actor: User, user: User) -> None:
    """Let USER submit on behalf of their organisation (moderators and admins only)."""
    if not actor.is_moderator:
        raise AccountError("forbidden", "only moderators and admins approve memberships")
    if user.email_confirmed_at is None:
        raise AccountError("unconfirmed", "the e-mail address is not confirmed yet")
    user.membership_approved_at = user.membership_approved_at or utcnow()
    session.flush()


def pending_memberships(session: Session) -> list[User]:
    """Confirmed members waiting for approval, oldest first."""
    return list(session.exec(
        select(User).where(User.email_confirmed_at.is_not(None), User.membership_approved_at.is_(None),
                           User.role == Role.member.value).order_by(User.created_at, User.id)
    ).all())


def _verify_dummy(password: str) -> None:
    try:
        _hasher.verify(dummy_hash(), password)
    except VerificationError:
        pass


def sign_out_everywhere(user: User) -> None:
    """Invalidate every session and remember-me cookie of USER (log-out, password change)."""
    user.session_token = secrets.token_urlsafe(24)


def change_password(session: Session, user: User, new_password: str) -> None:
    """Set a new password and sign the account out everywhere else."""
    problem = password_problem(new_password, user.email, user.name)
    if problem:
        raise AccountError(problem, "the password is not acceptable")
    user.password_hash = hash_password(new_password)
    sign_out_everywhere(user)
    session.flush()


def add_user(session: Session, *, email: str, role: Role, password: str, name: str | None = None,
             organisation: Organisation | None = None) -> User:
    """Create a confirmed, approved account (the operator's CLI)."""
    email = normalise_email(email)
    if get_by_email(session, email) is not None:
        raise AccountError("email_taken", f"an account for {email} exists")
    problem = password_problem(password, email, name or "")
    if problem:
        raise AccountError(problem, f"the password is not acceptable ({problem.replace('_', ' ')})")
    now = utcnow()
    user = User(email=email, name=name or email.split("@")[0], password_hash=hash_password(password),
                role=role.value, organisation_id=organisation.id if organisation else None,
                email_confirmed_at=now, membership_approved_at=now if organisation else None)
    session.add(user)
    session.flush()
    return user


def set_role(session: Session, email: str, role: Role) -> User:
    """Change the role of the account EMAIL."""
    user = get_by_email(session, email)
    if user is None:
        raise AccountError("no_such_user", f"no account for {normalise_email(email)}")
    user.role = role.value
    sign_out_everywhere(user)
    session.flush()
    return user


DOMAIN_RE = re.compile(r"^(?=.{3,200}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")


def admin_update_user(session: Session, actor: User, user: User, role: Role, active: bool) -> None:
    """Change an account's role and whether it may log in (admins only; the last admin stays)."""
    if not actor.is_admin:
        raise AccountError("forbidden", "only admins change roles")
    if user.is_admin and (role != Role.admin or not active) and not _other_active_admins(session, user):
        raise AccountError("last_admin", "the last active admin cannot be removed")
    if user.role != role.value or user.is_active != active:
        user.role, user.is_active = role.value, active
        sign_out_everywhere(user)
    session.flush()


def _other_active_admins(session: Session, user: User) -> list[int]:
    """Ids of the active admins other than USER, locked (FOR UPDATE) until the transaction ends.

    Two admins demoting each other at once on PostgreSQL: the second waits for the first and
    then sees one admin fewer, so the last one stays. (SQLite writers queue at BEGIN IMMEDIATE.)
    """
    session.flush()
    admins = session.exec(select(User.id).where(User.role == Role.admin.value, User.is_active)
                          .order_by(User.id).with_for_update()).all()
    return [i for i in admins if i != user.id]


def set_auto_approve_domain(session: Session, actor: User, organisation: Organisation, domain: str | None) -> None:
    """Approve confirmed members with addresses in DOMAIN automatically (admins only)."""
    if not actor.is_admin:
        raise AccountError("forbidden", "only admins set automatic approval")
    domain = (domain or "").strip().lower().lstrip("@") or None
    if domain is not None and not DOMAIN_RE.match(domain):
        raise AccountError("bad_domain", f"{domain!r} is not a domain name")
    organisation.auto_approve_domain = domain
    session.flush()


def set_language(session: Session, user: User, value: str) -> None:
    """Set the language of the mail USER gets (fi, sv or en)."""
    if value not in {n.value for n in Language}:
        raise AccountError("bad_choice", f"{value!r} is not one of fi, sv, en")
    user.language = value
    session.flush()
