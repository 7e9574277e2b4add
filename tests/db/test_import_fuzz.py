"""Fuzzing the content importer with random and hostile input (Hypothesis).

Properties, for every input: import_path succeeds or raises ImportFailed whose errors name a
file of the import (never another exception); it opens no file outside the import folder (an
audit hook records every open; a canary file sits beside the folder); and when it fails, it has
written nothing (row counts unchanged, no file created). Derandomized, so CI runs the same cases.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from hypothesis import HealthCheck, example, given, settings, strategies as st
from sqlmodel import Session, SQLModel

from ideapankki.db import create_db_engine
from ideapankki.exchange import MAX_FILE_BYTES, ImportFailed, import_path

FUZZ = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

VALID = """---
title: Kelvollinen kokeilu
type: idea
summary: Kelvollinen merkintä.
municipalities: [Kajaani]
themes: [tyollisyys]
---
Runko.
"""

_opened: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if _opened is not None and event in ("open", "os.listdir", "os.scandir") and args:
        path = args[0]
        if isinstance(path, (str, bytes, os.PathLike)):
            _opened.append(os.path.realpath(os.fsdecode(path)))


sys.addaudithook(_audit)  # cannot be removed; it records only while _opened is a list


class Bed:
    """A migrated database (a copy of the session's template, what init_database makes) and a scratch
    folder: BASE/import is imported, BASE/canary.md is not."""

    def __init__(self, root: Path, template: Path):
        self.root = root
        shutil.copy(template, root / "fuzz.db")
        self.engine = create_db_engine(f"sqlite:///{root / 'fuzz.db'}")
        self.canary = root / "canary.md"
        self.canary.write_text(VALID, encoding="utf-8")
        # every table's rows in one statement: a COUNT statement a table was half of each example's time
        self.count_all = sa.select(*(sa.select(sa.func.count()).select_from(table).scalar_subquery().label(name)
                                     for name, table in SQLModel.metadata.tables.items()))
        with self.engine.connect() as connection:  # the pool keeps it open: its -wal file is there from now on
            connection.execute(self.count_all)

    def counts(self, session: Session) -> dict[str, int]:
        return dict(session.execute(self.count_all).one()._mapping)

    def run(self, files: dict[str, bytes], links: dict[str, str] | None = None, target: str = "") -> None:
        """Write FILES (relative path → bytes) and symbolic LINKS under a fresh folder, import, check."""
        global _opened
        base = Path(tempfile.mkdtemp(dir=self.root))
        folder = base / "import"
        folder.mkdir()
        for relative, data in files.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for relative, pointing in (links or {}).items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.symlink_to(pointing.replace("{canary}", str(self.canary)))
        before_files = {p for p in self.root.rglob("*")}
        with Session(self.engine, expire_on_commit=False) as session:
            before = self.counts(session)
            _opened = []
            try:
                import_path(session, folder / target)
            except ImportFailed as failed:
                opened, _opened = _opened, None
                assert failed.errors
                for error in failed.errors:
                    assert error.path and str(folder) in str(Path(error.path).absolute()), error
                session.flush()
                assert self.counts(session) == before, "a failed import wrote rows"
            else:
                opened, _opened = _opened, None
            finally:
                _opened = None
                session.rollback()
        real_folder, real_root = os.path.realpath(folder), os.path.realpath(self.root)
        outside = [p for p in opened if p.startswith(real_root) and not p.startswith(real_folder)
                   and not p.startswith(os.path.realpath(self.root / "fuzz.db"))]
        assert os.path.realpath(self.canary) not in opened
        assert not outside, f"read outside the import folder: {outside}"
        assert {p for p in self.root.rglob("*")} - before_files <= {Path(self.root / "fuzz.db-journal")}
        shutil.rmtree(base)


@pytest.fixture(scope="module")
def bed(tmp_path_factory, sqlite_template):
    bed = Bed(tmp_path_factory.mktemp("fuzz"), sqlite_template.path)
    yield bed
    bed.engine.dispose()


# ----- strategies -------------------------------------------------------------------------

KEYS = ("title", "type", "summary", "language", "municipalities", "themes", "tags", "published", "period",
        "trial_status", "programme", "origin", "proposal", "laws", "contacts", "links", "relations")
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
                    st.dates(min_value=date(1, 1, 1)), st.sampled_from(["", "..", "../canary", "/etc/passwd",
                                                                        "Kajaani", "idea", "fi", "tyollisyys"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                      max_leaves=12)
front_matter = st.dictionaries(st.sampled_from(KEYS + ("unknown", "")), values, max_size=8)
slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,4})?", fullmatch=True)

HOSTILE_YAML = [
    "title: !!python/object/apply:os.system ['touch /tmp/pwned']",
    "title: !!python/object/new:os.system ['id']",
    "title: !!python/name:os.system",
    "title: !!binary aGVsbG8=\ntype: idea\nsummary: s",
    "title: !!set {a, b}\ntype: idea\nsummary: s",
    "title: !!omap [{a: 1}]\ntype: idea\nsummary: s",
    "title: !custom x\ntype: idea\nsummary: s",
    "title: T\ntype: idea\nsummary: s\npublished: !!timestamp 2022-01-01T10:00:00",
    # billion laughs: each level nine times the one before
    "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    + "title: T\ntype: *i\nsummary: *i\ntags: *i",
    "title: &t T\ntype: idea\nsummary: *t",
    "title: " + "[" * 5000 + "]" * 5000 + "\ntype: idea\nsummary: s",
    "title: " + "{a: " * 3000 + "1" + "}" * 3000 + "\ntype: idea\nsummary: s",
    "? [a, b]\n: c\ntitle: T",
    "title: T\ntitle: U\ntype: idea\nsummary: s",
    "<<: {title: T, type: idea}\nsummary: s",
    "title: T\ntype: idea\nsummary: s\nrelations: [{kind: based_on, entry: ../../canary}]",
    "title: T\ntype: idea\nsummary: s\nrelations: [{kind: based_on, entry: /etc/passwd}]",
    "title: T\ntype: idea\nsummary: s\nprogramme: ../canary",
    "title: T\ntype: idea\nsummary: s\nlinks: [{title: x, url: 'file:///etc/passwd'}]",
    "title: T\ntype: idea\nsummary: s\npublished: 99999-99-99",
    "title: T\ntype: idea\nsummary: s\nmunicipalities: [999999999999999999999]",
    "%YAML 1.1\n---\ntitle: T",
    "title: \"\\x00\\uffff\\ud800\"\ntype: idea\nsummary: s",
]


def document(front: str, body: str = "Runko.") -> bytes:
    return f"---\n{front}\n---\n{body}\n".encode("utf-8", "surrogatepass")


# ----- properties -------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=3000), name=slugs, folder=st.sampled_from(["idea", "norm", "practice", "muu", ""]))
@example(data=b"\x00" * 100, name="nul", folder="idea")
@example(data=b"---\ntitle: T\x00\ntype: idea\nsummary: s\n---\n", name="nul-in-yaml", folder="idea")
@example(data=b"\xff\xfe" + VALID.encode("utf-16-le"), name="utf-16", folder="idea")
@example(data=VALID.encode("utf-8")[:-3] + b"\xc3", name="cut-utf8", folder="idea")
@example(data=b"\xef\xbb\xbf" + VALID.encode("utf-8"), name="bom", folder="idea")
@example(data=VALID.replace("Runko.", "Runko\x00.").encode(), name="nul-body", folder="idea")
def test_random_bytes(bed, data, name, folder):
    bed.run({f"{folder}/{name}.md".lstrip("/"): data})


@FUZZ
@given(prefix=st.sampled_from([b"", b"---\n", VALID.encode()[:40], VALID.encode()]), junk=st.binary(max_size=300),
       position=st.integers(0, 200))
def test_valid_files_with_bytes_spliced_in(bed, prefix, junk, position):
    text = VALID.encode()
    bed.run({"idea/kokeilu.md": prefix + text[:position] + junk + text[position:]})


@FUZZ
@given(front=front_matter, body=st.text(max_size=300))
def test_front_matter_of_every_shape_and_type(bed, front, body):
    bed.run({"idea/kokeilu.md": document(yaml.safe_dump(front, allow_unicode=True), body)})


@FUZZ
@given(key=st.sampled_from(KEYS), value=values)
def test_each_key_with_a_wrong_value(bed, key, value):
    data = yaml.safe_load(VALID.split("---")[1])
    data[key] = value
    bed.run({"idea/kokeilu.md": document(yaml.safe_dump(data, allow_unicode=True))})


BILLION_LAUGHS, DEEP_LIST, SURROGATE = HOSTILE_YAML[8], HOSTILE_YAML[10], HOSTILE_YAML[-1]


@FUZZ
@given(front=st.sampled_from(HOSTILE_YAML), where=st.sampled_from(["idea/kokeilu.md", "programmes/ohjelma.md"]))
@example(front=BILLION_LAUGHS, where="idea/kokeilu.md")  # found: minutes of CPU, then gigabytes for a repr
@example(front=DEEP_LIST, where="idea/kokeilu.md")  # found: RecursionError in PyYAML's composer
@example(front=SURROGATE, where="idea/kokeilu.md")  # found: UnicodeEncodeError when the row was written
def test_hostile_yaml(bed, front, where):
    bed.run({where: document(front), "idea/hyva.md": VALID.encode()})


@FUZZ
@given(body=st.sampled_from([">" * 3000 + " syvä", "- " * 3000 + "x", "  " * 2000 + "* x", "[" * 300,
                             "`" * 10000, "<div>" * 3000, "#" * 10000, "|a|\n|-|\n" + "|x|\n" * 3000,
                             "*" * 20000 + "a", "\n".join(" " * i + "- x" for i in range(0, 300, 2))]))
@example(body="- " * 3000 + "x")  # found: RecursionError in Python-Markdown while saving, after validation
def test_pathological_markdown_bodies(bed, body):
    bed.run({"idea/kokeilu.md": document(VALID.split("---")[1].strip(), body)})


LINKS = [
    {"idea/ulos.md": "{canary}"},
    {"idea/ulos.md": "../../canary.md"},
    {"practice": "../"},  # a folder link leaving the import
    {"programmes/ulos.md": "{canary}"},
    {"programmes": ".."},
    {"idea/silmukka.md": "silmukka.md"},  # a loop
    {"idea/a.md": "b.md", "idea/b.md": "a.md"},
    {"idea/katkennut.md": "ei-ole.md"},  # dangling
    {"idea/kansio.md": "."},  # a folder named like a file
    {"idea/hyva-linkki.md": "hyva.md"},  # inside: fine
]


@FUZZ
@given(links=st.sampled_from(LINKS), target=st.sampled_from(["", "idea", "idea/hyva.md"]))
def test_symbolic_links_and_odd_files(bed, links, target):
    bed.run({"idea/hyva.md": VALID.encode()}, links, target)


@FUZZ
@given(name=st.sampled_from(["..md", "...md", ".piilo.md", "a..b.md", "-.md", "ä.md", "x" * 200 + ".md",
                             "idea/..md", "../pako.md", "idea/../../pako.md", "con.md", "a b.md"]))
def test_file_names(bed, name):
    path = Path(name)
    if ".." in path.parts:  # a name cannot contain a path that leaves the folder: write it as the import sees it
        name = path.name
    bed.run({name if "/" in name else f"idea/{name}": VALID.encode()})


def test_a_file_over_the_size_limit_is_refused_without_being_read_whole(bed):
    huge = VALID.encode() + b"x" * MAX_FILE_BYTES
    with pytest.raises(ImportFailed, match="larger than"):
        with Session(bed.engine) as session:
            import_path(session, _write(bed.root / "huge", "idea/iso.md", huge))


def test_a_named_pipe_is_refused_not_waited_for(bed):
    folder = bed.root / "fifo"
    (folder / "idea").mkdir(parents=True)
    os.mkfifo(folder / "idea" / "putki.md")
    with pytest.raises(ImportFailed, match="not a regular file"):
        with Session(bed.engine) as session:
            import_path(session, folder)


def _write(folder: Path, relative: str, data: bytes) -> Path:
    (folder / relative).parent.mkdir(parents=True, exist_ok=True)
    (folder / relative).write_bytes(data)
    return folder
