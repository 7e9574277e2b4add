"""The open-data export: every published entry as JSON, CSV and the Markdown content format (zip).

Files are made once per change, not per request: the export remembers the site's version
(changes.site_version: the change log and the programmes) it was built at and is rebuilt, into a
new folder swapped in whole, only when that has moved on. A download therefore never sees half-written files, and several processes
never build at once (a file lock).
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import shutil
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from sqlmodel import Session, select

from . import adoptions, content, entries, opendata, programme_format, programmes, relations, structured
from .browse import PUBLISHED
from .changes import site_version
from .models import Entry

JSON_NAME = "ideapankki-entries.json"
CSV_NAME = "ideapankki-entries.csv"
ZIP_NAME = "ideapankki-content.zip"
README_NAME = "README.md"
FILES = (JSON_NAME, CSV_NAME, ZIP_NAME, README_NAME)
LICENCE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
CSV_FIELDS = [
    ("slug", "identifier of the entry; its page is /entries/<slug>"),
    ("url", "address of the entry's page"),
    ("type", "practice, idea or norm (norm proposal)"),
    ("language", "language of the text: fi, sv or en"),
    ("title", "title"),
    ("summary", "one-paragraph summary"),
    ("published", "date of publication (YYYY-MM-DD)"),
    ("updated", "last change (UTC, ISO 8601)"),
    ("municipality_codes", "municipality codes of the register, separated by ;"),
    ("municipalities", "Finnish names of the municipalities, separated by ;"),
    ("themes", "theme slugs, separated by ;"),
    ("tags", "free keywords, separated by ;"),
    ("trial_status", "planned, ongoing or ended (practices)"),
    ("period_start", "start of the trial (YYYY-MM-DD)"),
    ("period_end", "end of the trial (YYYY-MM-DD)"),
    ("origin", "where an idea came from (ideas)"),
    ("programme", "slug of the trial programme a practice belongs to (/programmes/<slug>)"),
    ("laws", "laws concerned: title, number, section; several separated by |"),
    ("proposal_action", "what a norm proposal asks: remove, loosen, trial_exemption or reform"),
    ("proposal_justification", "why (norm proposals)"),
    ("proposal_savings", "expected savings (norm proposals)"),
    ("proposal_time", "expected time saved (norm proposals)"),
    ("proposal_people", "whom it concerns (norm proposals)"),
    ("proposal_proposer_role", "who proposes: official, elected or other"),
    ("norm_status", "a norm proposal's latest step after publication: sent_to_ministry, impact_assessment, "
                    "government_bill, law_changed or not_proceeding (empty: none recorded yet)"),
    ("relations", "typed links to other entries, kind:slug (outgoing) or <kind:slug (incoming), separated by ;"),
    ("adopted_by", "organisations that have it in use, each with the year it was taken into use, "
                   "e.g. Oulu (2024), separated by ;"),
    ("interested", "organisations interested in it, separated by ;"),
    *structured.CSV_FIELDS,
    ("body_markdown", "the full text in Markdown"),
]


# OWASP's advice against CSV injection: a cell that starts with one of these is read as a formula by
# spreadsheets, so it gets a leading apostrophe (shown by none of them); every cell is quoted.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """VALUE as a CSV cell that no spreadsheet evaluates (a leading ' before a formula character)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def change_position(session: Session) -> str:
    """The site's version as text: the export is current when built at it."""
    return repr(site_version(session))


def _published(session: Session) -> list[Entry]:
    return list(session.exec(select(Entry).where(PUBLISHED).order_by(Entry.type, Entry.slug)).all())


def csv_row(record: dict) -> dict:
    """Flatten an entry record (opendata.entry_record) into the CSV's columns."""
    period = record["period"] or {}
    proposal = record["proposal"] or {}
    row = {name: record.get(name) for name, _ in CSV_FIELDS}
    row.update({
        "municipality_codes": ";".join(m["code"] for m in record["municipalities"]),
        "municipalities": ";".join(m["name_fi"] for m in record["municipalities"]),
        "themes": ";".join(record["themes"]),
        "tags": ";".join(record["tags"]),
        "period_start": period.get("start"),
        "period_end": period.get("end"),
        "relations": ";".join(("" if r["direction"] == "outgoing" else "<") + f"{r['kind']}:{r['slug']}"
                              for r in record["relations"]),
        "adopted_by": ";".join(f"{a['organisation']} ({a['year']})" for a in record["adoptions"]
                               if a["status"] == "adopted"),
        "interested": ";".join(a["organisation"] for a in record["adoptions"] if a["status"] == "interested"),
        "laws": " | ".join(", ".join(filter(None, (law["title"], law["number"], law["section"])))
                           for law in record["laws"]),
        **{f"proposal_{key}": proposal.get(key) for key in
           ("action", "justification", "savings", "time", "people", "proposer_role")},
        **structured.csv_cells(record),
    })
    return {name: "" if value is None else neutralise(str(value)) for name, value in row.items()}


def readme(count: int, built_at: str) -> str:
    fields = "\n".join(f"| `{name}` | {meaning} |" for name, meaning in CSV_FIELDS)
    return f"""# Ideapankki – open data

Every published entry of Ideapankki, the idea bank of Finnish municipal experimentation
({count} entries, made {built_at}).

**Licence:** the content is licensed {LICENCE}. Cite it as "Ideapankki, Kuntaliitto" with the
entry's address. The municipality register is Statistics Finland's classification.

## Files

- `{JSON_NAME}`: a JSON object `{{"licence", "generated", "count", "entries": [...]}}`; each entry has
  the fields of the API's `GET /api/v1/entries/{{slug}}` (see `/api/v1/openapi.json`).
- `{CSV_NAME}`: one row per entry, UTF-8 with a byte order mark (so that Excel opens it as UTF-8),
  a header row, comma-separated, every field quoted. A field that would start with `=`, `+`, `-`, `@`,
  a tab or a carriage return starts with an apostrophe (`'`) instead, as OWASP recommends against
  CSV injection: a spreadsheet then shows it as text and never runs it as a formula. Remove that one
  apostrophe to get the original text (the JSON and the zip have it unchanged).
- `{ZIP_NAME}`: the entries in Ideapankki's content format, `<type>/<slug>.md` (YAML front
  matter + Markdown), and the trial programmes, `programmes/<slug>.md`, which `ideapankki import`
  reads back.

## CSV fields

| field | meaning |
|---|---|
{fields}
"""


def build(session: Session, target: Path, url_for_slug: Callable[[str], str]) -> int:
    """Write the export files of every published entry into the (new, empty) folder TARGET."""
    published = _published(session)
    built_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    records = [opendata.entry_record(e, url_for_slug(e.slug), relations.records(session, e, url_for_slug),
                                     adoptions.records(adoptions.of_entry(session, e))) for e in published]
    with open(target / JSON_NAME, "w", encoding="utf-8") as fh:
        json.dump({"licence": LICENCE, "generated": built_at, "count": len(records), "entries": records},
                  fh, ensure_ascii=False, indent=1)
    with open(target / CSV_NAME, "w", encoding="utf-8-sig", newline="") as fh:  # the BOM tells Excel it is UTF-8
        writer = csv.DictWriter(fh, fieldnames=[name for name, _ in CSV_FIELDS], quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(csv_row(r) for r in records)
    text = readme(len(records), built_at)
    (target / README_NAME).write_text(text, encoding="utf-8")
    with zipfile.ZipFile(target / ZIP_NAME, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(README_NAME, text)
        for programme in programmes.all_programmes(session):  # practices name them: import needs them too
            archive.writestr(f"{programme_format.FOLDER}/{programme.slug}.md",
                             programme_format.serialize(programmes.to_document(programme)))
        public = {e.slug for e in published}
        for entry in published:
            doc = entries.to_document(entry)
            doc.relations = [r for r in doc.relations if r["entry"] in public]  # never name an unpublished entry
            doc.contacts = structured.shown_contacts(doc.contacts)  # nor a person who did not agree
            archive.writestr(f"{entry.type}/{entry.slug}.md", content.serialize(doc))
    return len(records)


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    with open(root / "export.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def current_folder(root: Path) -> Path:
    return root / "current"


def built_at_position(root: Path) -> str | None:
    try:
        return json.loads((current_folder(root) / "state.json").read_text())["position"]
    except (OSError, ValueError, KeyError):
        return None


def ensure_current(session: Session, root: Path, url_for_slug: Callable[[str], str]) -> Path:
    """Return the folder of an export that reflects every change so far, building it if needed."""
    root.mkdir(parents=True, exist_ok=True)
    position = change_position(session)
    if built_at_position(root) == position:
        return current_folder(root).resolve()
    with _locked(root):
        position = change_position(session)
        if built_at_position(root) != position:  # another process may have built it meanwhile
            folder = root / f"build-{time.time_ns()}"
            folder.mkdir()
            build(session, folder, url_for_slug)
            (folder / "state.json").write_text(json.dumps({"position": position}))
            link = root / f"current.{os.getpid()}.tmp"
            link.unlink(missing_ok=True)
            link.symlink_to(folder.name)
            os.replace(link, current_folder(root))
            for old in root.glob("build-*"):
                if old.name != folder.name:
                    shutil.rmtree(old, ignore_errors=True)
    return current_folder(root).resolve()


def csv_text(folder: Path) -> str:
    return (folder / CSV_NAME).read_text(encoding="utf-8-sig")


def read_csv(folder: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(csv_text(folder))))
