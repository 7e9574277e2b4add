"""The register of organisations members register for, by kind.

Municipalities come from the municipality register (their organisation row is made on first use,
accounts.municipality_organisation); wellbeing services counties, regional councils, joint municipal
authorities, Kuntaliitto and ministries from the list maintained in data/organisations.csv, loaded at
init (`load_register`). An admin can add one (`add`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from . import accounts
from .config import DATA_DIR
from .models import Municipality, Organisation, OrganisationKind, User

ORGANISATIONS_CSV = DATA_DIR / "organisations.csv"
K = OrganisationKind
# The kinds a person chooses from at registration, in this order (municipalities first).
REGISTER_KINDS = (K.municipality, K.wellbeing_county, K.regional_council, K.joint_authority, K.association,
                  K.ministry, K.group)
ORG_PREFIX = "org-"  # a registration choice: a municipality's code, or org-<id> for any other organisation


@dataclass(frozen=True)
class Listed:
    kind: str
    name_fi: str
    name_sv: str


def read_list(path: Path = ORGANISATIONS_CSV) -> list[Listed]:
    """The maintained list (comment lines start with #); a bad row names the file and line."""
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    rows = []
    for number, row in enumerate(csv.DictReader(lines), 2):
        if row.get("kind") not in {k.value for k in K} or not row.get("name_fi") or not row.get("name_sv"):
            raise ValueError(f"{path}: data row {number - 1}: needs kind (one of {', '.join(k.value for k in K)}), "
                             "name_fi and name_sv")
        rows.append(Listed(row["kind"], row["name_fi"].strip(), row["name_sv"].strip()))
    return rows


def load_register(session: Session, path: Path = ORGANISATIONS_CSV) -> None:
    """Add the listed organisations that are missing; set the kind and Swedish name of those present."""
    existing = {o.name: o for o in session.exec(select(Organisation))}
    for listed in read_list(path):
        org = existing.get(listed.name_fi)
        if org is None:
            session.add(Organisation(name=listed.name_fi, name_sv=listed.name_sv, kind=listed.kind))
        else:
            org.kind, org.name_sv = listed.kind, listed.name_sv
    session.flush()


def choices(session: Session) -> dict[str, list[tuple[str, str, str]]]:
    """Kind → [(value, Finnish name, Swedish name)] for the registration form, sorted by Finnish name:
    every municipality of the register (value: its code), the other organisations (value: org-<id>)."""
    grouped: dict[str, list[tuple[str, str, str]]] = {kind.value: [] for kind in REGISTER_KINDS}
    for m in session.exec(select(Municipality)):
        grouped[K.municipality.value].append((m.code, m.name_fi, m.name_sv))
    for org in session.exec(select(Organisation).where(Organisation.kind != K.municipality.value)):
        grouped[org.kind].append((f"{ORG_PREFIX}{org.id}", org.name, org.name_sv or org.name))
    return {kind: sorted(rows, key=lambda row: row[1]) for kind, rows in grouped.items() if rows}


def chosen(session: Session, value: str | None) -> Organisation | None:
    """The organisation a registration choice VALUE names (None when it names none)."""
    value = (value or "").strip()
    if value.startswith(ORG_PREFIX) and value[len(ORG_PREFIX):].isdigit():
        org = session.get(Organisation, int(value[len(ORG_PREFIX):]))
        return org if org is not None and org.kind != K.municipality.value else None
    municipality = session.get(Municipality, value) if value.isdigit() else None
    return accounts.municipality_organisation(session, municipality) if municipality is not None else None


def add(session: Session, actor: User, kind: str, name_fi: str, name_sv: str | None) -> Organisation:
    """Add an organisation to the register (admins only; not a municipality: those come from the register)."""
    if not actor.is_admin:
        raise accounts.AccountError("forbidden", "only admins add organisations")
    name_fi, name_sv = name_fi.strip(), (name_sv or "").strip() or None
    if kind not in {k.value for k in REGISTER_KINDS} or kind == K.municipality.value:
        raise accounts.AccountError("bad_kind", f"{kind!r} is not a kind of organisation one can add")
    if not name_fi or len(name_fi) > 200 or (name_sv and len(name_sv) > 200):
        raise accounts.AccountError("bad_name", "the name is empty or longer than 200 characters")
    if session.exec(select(Organisation).where(Organisation.name == name_fi)).first() is not None:
        raise accounts.AccountError("name_taken", f"an organisation {name_fi!r} exists already")
    org = Organisation(name=name_fi, name_sv=name_sv, kind=kind)
    session.add(org)
    session.flush()
    return org
