"""Between the entry form and the content format: the same validation as imported files.

The form becomes a front-matter mapping and goes through `content.from_mapping` and the
register checks, so a web submission obeys exactly the rules of the content contract. Errors
come back with their key (laws[0].number, municipalities[1], …) and land on the right field.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlmodel import Session

from .. import content, drafts, entries, markdown
from ..content import ContentError, EntryDocument
from ..models import EntryType, User
from ..reference import THEME_SLUGS, MunicipalityIndex
from . import structured_form
from .forms import EntryForm, choices
from .labels import THEME_LABELS
from .relation_field import filled, relation_message

KEY_TO_FIELD = {
    "title": "title", "summary": "summary", "language": "language", "municipalities": "municipalities",
    "themes": "themes", "tags": "tags", "laws": "law_title", "laws[0].title": "law_title",
    "laws[0].number": "law_number", "laws[0].section": "law_section", "links": "links", "period": "period_start",
    "period.start": "period_start", "period.end": "period_end", "trial_status": "trial_status", "origin": "origin",
    "proposal.action": "action", "proposal.proposer_role": "proposer_role", "body": "body",
    "proposal.justification": "justification",
}
ENTRY_ADDRESS = re.compile(r"/entries/([a-z0-9]+(?:-[a-z0-9]+)*)(?:[?#].*)?$")


def entry_form(entry_type: str, formdata=None, **kwargs) -> EntryForm:
    form = structured_form.TYPE_FORMS[entry_type](formdata=formdata, **kwargs)
    form.themes.choices = choices({slug: THEME_LABELS[slug] for slug in THEME_SLUGS})
    form.entry_type = entry_type
    return form


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _links(form: EntryForm) -> list[dict[str, str]] | None:
    links = []
    for number, line in enumerate((form.links.data or "").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        title, bar, url = line.rpartition("|")
        title, url = (title.strip(), url.strip()) if bar else (line, line)
        if not title or not url:
            form.links.errors.append(_("Line %(number)s: write the title, a vertical bar and the address.",
                                       number=number))
            return None
        links.append({"title": title, "url": url})
    return links


def _slug_of(text: str | None) -> str:
    """An entry's slug from its address or the slug itself (what a person would paste)."""
    text = (text or "").strip().rstrip("/")
    found = ENTRY_ADDRESS.search(text)
    return found.group(1) if found else text


def form_mapping(form: EntryForm, entry_type: str) -> dict | None:
    """The front-matter mapping the form describes (None when a field could not be read)."""
    data: dict = {"title": form.title.data, "type": entry_type, "summary": (form.summary.data or "").strip(),
                  "language": form.language.data, "municipalities": _split(form.municipalities.data),
                  "themes": list(form.themes.data or []), "tags": _split(form.tags.data)}
    links = _links(form)
    if links is None:
        return None
    data["links"] = links
    data["relations"] = [{"kind": row.form.kind.data, "entry": row.form.pick.data or _slug_of(row.form.entry.data)}
                         for row in form.relations if filled(row)]
    if form.law_title.data or form.law_number.data or form.law_section.data:
        data["laws"] = [{"title": form.law_title.data, "number": form.law_number.data or None,
                         "section": form.law_section.data or None}]
    if entry_type == EntryType.practice.value:
        if form.period_start.data or form.period_end.data:
            data["period"] = {"start": form.period_start.data and form.period_start.data.isoformat(),
                              "end": form.period_end.data and form.period_end.data.isoformat()}
        data["trial_status"] = form.trial_status.data or None
    elif entry_type == EntryType.idea.value:
        data["origin"] = form.origin.data or None
    elif entry_type == EntryType.norm.value:
        data["proposal"] = {key: getattr(form, key).data or None
                            for key in ("action", "justification", "savings", "time", "people", "proposer_role")}
    structured_form.add_to_mapping(form, entry_type, data)
    return data


def read_form(session: Session, user: User, form: EntryForm, entry_type: str, slug: str = "uusi",
              base: EntryDocument | None = None, submit: bool = False) -> tuple[EntryDocument, list[str]] | None:
    """Validate the form as content; return the document and municipality codes, or None with field errors.

    A draft needs only a title; with SUBMIT the fields review needs are checked too (drafts.missing).
    BASE is the text being edited: what the form does not show (further laws) is kept.
    Relations may point only to entries USER may see.
    """
    data = form_mapping(form, entry_type)
    if data is None:
        return None
    if base is not None:
        data["laws"] = data.get("laws", [])[:1] + base.laws[1:]
    try:
        doc = content.from_mapping(data, form.body.data or "", "form", slug, draft=True)
        codes = entries.resolve_references(doc, MunicipalityIndex.from_session(session), "form")
    except ContentError as exc:
        if structured_form.place_error(form, exc.key or "", structured_form.message(exc.key or "", exc.message)):
            return None
        if not _relation_error(form, data, exc.key, relation_message(exc.message, exc.key)):
            field = KEY_TO_FIELD.get(exc.key or "", KEY_TO_FIELD.get((exc.key or "").split("[")[0], "title"))
            getattr(form, field).errors.append(_message(exc))
        return None
    problems = entries.relation_problems(session, doc, user)
    for key, message in problems:
        _relation_error(form, data, key, relation_message(message, key))
    missing = mark_missing(form, entry_type) if submit else []
    return None if problems or missing else (doc, codes)


def mark_missing(form: EntryForm, entry_type: str) -> list[str]:
    """Put an error on each field that sending for review needs and the form leaves empty (drafts.missing)."""
    proposal = {key: getattr(form, key).data for key in ("action", "justification", "proposer_role")
                if structured_form.has(form, key)}
    doc = EntryDocument(slug="uusi", type=entry_type, title=form.title.data or "", summary=form.summary.data or "",
                        laws=[{"title": form.law_title.data}] if form.law_title.data else [],
                        proposal={key: value for key, value in proposal.items() if value})
    missing = drafts.missing(doc)
    for key in missing:
        field = getattr(form, KEY_TO_FIELD[key])
        if not field.errors:
            field.errors.append(_("Fill this in before sending for review. A draft can be saved without it."))
    return missing


def _relation_error(form: EntryForm, data: dict, key: str | None, message: str) -> bool:
    """Put an error on the row of the relation KEY names (relations[i]…); False if KEY is not one."""
    found = re.match(r"relations\[(\d+)\](?:\.(kind|entry))?", key or "")
    if not found:
        return False
    filled_rows = [row for row in form.relations if filled(row)]
    row = filled_rows[int(found.group(1))].form
    (row.kind if found.group(2) == "kind" else row.entry).errors.append(message)
    return True


def _message(exc: ContentError) -> str:
    """A reader's message for a content error (the English detail is the operator's)."""
    if exc.key and exc.key.startswith("municipalities["):
        return _("Not a municipality in the register: %(detail)s", detail=exc.message.split("'")[1]
                 if "'" in exc.message else exc.message)
    if exc.key == "period.end":
        return _("The end date is before the start date.")
    if exc.key == "laws[0].number":
        return _("Write the statute number as in Finlex, e.g. 628/1998.")
    if exc.key == "body":
        return _("The text is nested too deeply: at most %(limit)s levels of quotes, lists or indentation "
                 "(four spaces a level) inside one another. Put code in a fenced block (```).",
                 limit=markdown.MAX_NESTING)
    if exc.key and exc.key.startswith("links"):
        return _("Links must be addresses starting with https:// or http://.")
    return _("Check this field: %(detail)s", detail=exc.message)


def fill_form(form: EntryForm, doc: EntryDocument) -> None:
    """Put DOC's values into the form for editing."""
    form.title.data, form.summary.data, form.body.data = doc.title, doc.summary, doc.body
    form.language.data = doc.language
    form.municipalities.data = ", ".join(doc.municipalities)
    form.themes.data = list(doc.themes)
    form.tags.data = ", ".join(doc.tags)
    if doc.laws:
        law = doc.laws[0]
        form.law_title.data, form.law_number.data, form.law_section.data = (
            law.get("title"), law.get("number"), law.get("section"))
    form.links.data = "\n".join(f"{link['title']} | {link['url']}" for link in doc.links)
    while len(form.relations) < min(len(doc.relations), form.relations.max_entries):
        form.relations.append_entry()
    for row, relation in zip(form.relations, doc.relations):
        row.form.kind.data, row.form.entry.data = relation["kind"], relation["entry"]
    if structured_form.has(form, "period_start"):  # a practice's
        form.period_start.data, form.period_end.data = doc.period_start, doc.period_end
        form.trial_status.data = doc.trial_status or ""
    if structured_form.has(form, "origin"):  # an idea's
        form.origin.data = doc.origin
    for key in ("action", "justification", "savings", "time", "people", "proposer_role"):
        if structured_form.has(form, key):  # a norm's
            getattr(form, key).data = doc.proposal.get(key)
    structured_form.fill(form, doc)
