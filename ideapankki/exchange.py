"""Import and export of content folders (content/<type>/<slug>.md).

Import validates every file before writing anything: one bad file fails the whole run
with every error listed, and the caller's transaction rolls back. It reads nothing outside
the import folder (symbolic links that leave it are errors), only regular files of at most
MAX_FILE_BYTES, UTF-8 without NUL bytes; whatever else a file holds is an error naming it. Trial programmes
(content/programmes/<slug>.md) are read first, since practices name them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from . import content, entries, markdown, programme_format, programmes, workflow
from .content import ContentError, EntryDocument
from .models import Entry, EntryState, Programme
from .reference import MunicipalityIndex


MAX_FILE_BYTES = 1_000_000  # per file; the longest seed entry is some 10 kB


class ImportFailed(ValueError):
    """One or more files are invalid; nothing was imported."""

    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)  # programmes created or changed


def read_text(path: Path, root: Path) -> str:
    """Read the content file PATH of the import ROOT, or raise a ContentError that says why not."""
    try:
        real = path.resolve(strict=True)
        base = root.resolve(strict=True)
        if not real.is_relative_to(base if base.is_dir() else base.parent):
            raise ContentError(path, None, f"resolves outside {root} (symbolic link?)")
        if not real.is_file():  # a folder, a named pipe (which would block), a device
            raise ContentError(path, None, "is not a regular file")
        with open(real, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except (OSError, RuntimeError) as exc:  # vanished, unreadable, dangling link, a loop of links
        raise ContentError(path, None, f"cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ContentError(path, None, f"the file is larger than {MAX_FILE_BYTES // 1000} kB")
    if b"\x00" in data:
        raise ContentError(path, None, "the file contains NUL bytes (binary, or UTF-16 text?); "
                                       "content files are UTF-8 text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(path, None, f"the file is not UTF-8 text (byte {exc.start})") from None


def find_files(root: Path) -> list[Path]:
    """List the content files under ROOT (or ROOT itself), refusing links to folders that leave it.

    Linked folders are not entered (their files, when inside ROOT, are read where they are); one
    that leads outside ROOT is an error like a file link that does, never skipped in silence.
    """
    if not root.exists():
        raise ImportFailed([ContentError(root, None, "no such file or folder")])
    if root.is_file():
        return [root]
    base = root.resolve()
    files, errors = [], []
    for folder, dirnames, filenames in os.walk(root):  # followlinks=False
        here = Path(folder)
        dirnames[:] = [name for name in dirnames if not name.startswith(".")
                       and not (here == root and name == programme_format.FOLDER)]  # read by read_programmes
        for name in dirnames:
            if (here / name).is_symlink() and not _inside(here / name, base):
                errors.append(ContentError(here / name, None, f"is a symbolic link to a folder outside {root}"))
        files += [here / name for name in (*filenames, *dirnames) if name.endswith(".md")
                  and not name.startswith(".") and name.upper() != "README.MD"]  # read_text refuses what
        # leaves ROOT or is no regular file (a folder named like a content file, a pipe)
    if errors:
        raise ImportFailed(errors)
    return sorted(files)


def _inside(path: Path, base: Path) -> bool:
    try:
        return path.resolve(strict=True).is_relative_to(base)
    except (OSError, RuntimeError):  # dangling, or a loop of links
        return False


def read_programmes(session: Session, root: Path) -> tuple[list, list[ContentError]]:
    """Parse and validate ROOT/programmes/*.md; return (document, municipality codes) pairs and errors."""
    folder = Path(root) / programme_format.FOLDER
    if Path(root).is_file() or not folder.is_dir():
        return [], []
    if not folder.resolve().is_relative_to(Path(root).resolve()):
        return [], [ContentError(folder, None, f"resolves outside {root} (symbolic link?)")]
    index = MunicipalityIndex.from_session(session)
    docs, errors = [], []
    for path in sorted(folder.glob("*.md")):
        try:
            doc = programme_format.parse(read_text(path, Path(root)), path)
            _check_markdown(doc.body, path)
            docs.append((doc, programmes.resolve_municipalities(doc, index, str(path))))
        except ContentError as exc:
            errors.append(exc)
    return docs, errors


def _check_markdown(body: str, path: Path) -> None:
    """Render BODY once now, so that Markdown that cannot be rendered fails before anything is written."""
    try:
        markdown.render(body)
    except markdown.MarkdownError as exc:
        raise ContentError(path, "body", str(exc)) from None


def read_documents(session: Session, paths: list[Path], programme_slugs: set[str] | None = None,
                   root: Path | None = None) -> list[tuple[EntryDocument, list[str]]]:
    """Parse and validate PATHS; return documents with their municipality codes, or raise ImportFailed.

    A practice may name a programme in PROGRAMME_SLUGS (default: those in the database). Files
    must stay inside ROOT (default: each file is its own root).
    """
    index = MunicipalityIndex.from_session(session)
    if programme_slugs is None:
        programme_slugs = set(session.exec(select(Programme.slug)))
    docs, errors, seen = [], [], {}
    for path in paths:
        try:
            doc = content.parse(read_text(path, root or path), path)
            _check_markdown(doc.body, path)
            codes = entries.resolve_references(doc, index, str(path))
            if doc.programme and doc.programme not in programme_slugs:
                raise ContentError(path, "programme", f"{doc.programme!r} is not a programme "
                                   f"(none in {programme_format.FOLDER}/ or the database)")
        except ContentError as exc:
            errors.append(exc)
            continue
        if doc.slug in seen:
            errors.append(ContentError(path, None, f"slug {doc.slug!r} is also used by {seen[doc.slug]}"))
            continue
        seen[doc.slug] = path
        docs.append((doc, codes))
    known = {doc.slug: (doc.type, doc.language) for doc, _codes in docs}
    for doc, _codes in docs:
        errors += [ContentError(seen[doc.slug], key, message)
                   for key, message in entries.relation_problems(session, doc, entries.OPERATOR, known)]
    if errors:
        raise ImportFailed(errors)
    return docs


def import_path(session: Session, root: Path, *, publish: bool = False, progress=None) -> ImportReport:
    """Import every content file under ROOT, programmes first; idempotent by slug.

    PROGRESS(done, total) hears of the entries saved (ideapankki.progress.bar draws it)."""
    report = ImportReport()
    programme_docs, errors = read_programmes(session, Path(root))
    known = set(session.exec(select(Programme.slug))) | {doc.slug for doc, _codes in programme_docs}
    try:
        documents = read_documents(session, find_files(Path(root)), known, Path(root))
    except ImportFailed as exc:
        errors += exc.errors
    if errors:
        raise ImportFailed(errors)
    for doc, codes in programme_docs:
        if programmes.save_document(session, doc, codes)[1]:
            report.programmes.append(doc.slug)
    for done, (doc, codes) in enumerate(documents, 1):
        existed = entries.get_by_slug(session, doc.slug) is not None
        entry, changed = entries.save_document(session, doc, codes)
        bucket = report.updated if existed else report.created
        (bucket if changed else report.unchanged).append(doc.slug)
        if not existed and not publish:
            workflow.place_by_operator(session, entry, EntryState.submitted, "imported from content files")
        if publish and workflow.place_by_operator(session, entry, EntryState.published, "imported with --publish"):
            report.published.append(doc.slug)
        if progress is not None:
            progress(done, len(documents))
    return report


def export_dir(session: Session, target: Path) -> list[Path]:
    """Write every entry (but a draft without a summary) to TARGET/<type>/<slug>.md canonically; return the paths.

    Programmes are written to TARGET/programmes/<slug>.md as well (not in the returned list).
    """
    for programme in programmes.all_programmes(session):
        path = Path(target) / programme_format.FOLDER / f"{programme.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = programme_format.serialize(programmes.to_document(programme))
        path.write_text(text, encoding="utf-8", newline="\n")
    written = []
    for entry in session.exec(select(Entry).where(Entry.summary != "").order_by(Entry.type, Entry.slug)):
        # a draft without a summary (ideapankki.drafts) is not yet content: a file needs one
        path = Path(target) / entry.type / f"{entry.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content.serialize(entries.to_document(entry)), encoding="utf-8", newline="\n")
        written.append(path)
    return written
