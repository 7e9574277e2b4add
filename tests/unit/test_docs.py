"""The README says what the code does: its command list, its configuration table, its links.

No database and no app: the CLI is introspected through click, the settings are found in the
package's source, and links are checked against the files of the repository.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click

from ideapankki import cli

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
SETTING = re.compile(r"IDEAPANKKI_[A-Z0-9_]+")
# Read by the tests and CI scripts, never by the package: documented in docs/development.md.
TEST_ONLY = re.compile(r"IDEAPANKKI_(TEST_|REQUIRE_|CI_|VNU_JAR$)")


def _section(text: str, heading: str) -> str:
    """The body of the `## HEADING` section of TEXT."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README.md has no '## {heading}' section"
    return match.group(1)


def cli_commands(group: click.Group = cli.main, prefix: str = "") -> set[str]:
    """Every leaf command of the `ideapankki` CLI, as 'user add', 'db revision', 'serve'."""
    found = set()
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found |= cli_commands(command, f"{path} ")
        else:
            found.add(path)
    return found


def readme_commands() -> set[str]:
    """The commands the README's command list names: each line `ideapankki WORD [WORD]…`."""
    block = re.search(r"```\n(.*?)```", _section(README.read_text(encoding="utf-8"), "Command line"), re.S)
    assert block, "README.md's Command line section has no code block listing the commands"
    listed = set()
    for line in block.group(1).splitlines():
        words = re.match(r"ideapankki ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)", line)
        assert words, f"README.md's command list has a line that is not an `ideapankki` command: {line!r}"
        listed.add(words.group(1))
    return listed


def _match_listed(listed: set[str], commands: set[str]) -> set[str]:
    """LISTED as CLI command paths: `user add EMAIL` was read as 'user add', `init` may be read as
    one word; a two-word reading is kept only when the first word is a group."""
    groups = {c.split()[0] for c in commands if " " in c}
    return {item if item.split()[0] in groups else item.split()[0] for item in listed}


def test_readme_lists_every_cli_command_and_no_other():
    commands = cli_commands()
    assert {"serve", "import", "user add", "db revision"} <= commands, "the CLI introspection found too little"
    listed = _match_listed(readme_commands(), commands)
    missing, extra = sorted(commands - listed), sorted(listed - commands)
    assert not missing, f"README.md's command list lacks these `ideapankki` commands: {missing}"
    assert not extra, f"README.md's command list names commands the CLI does not have: {extra}"


def settings_read_by_code() -> dict[str, list[str]]:
    """IDEAPANKKI_* settings the package reads: string constants that are exactly such a name
    (os.environ.get("…"), env("…"), _positive_int("…", 20), BINDIR_VARIABLE = "…"), in modules
    that read the environment, by module. Names inside messages and docstrings do not count."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "ideapankki").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if "environ" not in source and "getenv" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SETTING.fullmatch(node.value):
                if not TEST_ONLY.match(node.value):
                    found.setdefault(node.value, []).append(str(path.relative_to(ROOT)))
    return found


def readme_settings() -> set[str]:
    """The variables in the first column of the README's configuration table."""
    section = _section(README.read_text(encoding="utf-8"), "Configuration")
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]  # header, separator
    assert rows, "README.md's Configuration section has no table"
    names = set()
    for row in rows:
        first = row.split("|")[1]
        cell = SETTING.findall(first)
        assert cell, f"a row of README.md's configuration table names no IDEAPANKKI_* variable: {row[:80]!r}"
        names |= set(cell)
    return names


def test_readme_configuration_table_lists_exactly_the_settings_the_code_reads():
    read = settings_read_by_code()
    assert {"IDEAPANKKI_DATABASE_URL", "IDEAPANKKI_SECRET_KEY", "IDEAPANKKI_SMTP_HOST"} <= set(read), \
        "the scan of ideapankki/ for settings found too little"
    table = readme_settings()
    missing = {name: read[name] for name in sorted(set(read) - table)}
    extra = sorted(table - set(read))
    assert not missing, f"README.md's configuration table lacks settings the code reads: {missing}"
    assert not extra, f"README.md's configuration table lists settings the code does not read: {extra}"
    test_only = sorted(name for name in table if TEST_ONLY.match(name))
    assert not test_only, f"test-only variables belong in docs/development.md, not the README: {test_only}"


LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def _anchors(path: Path) -> set[str]:
    """GitHub's anchors for PATH's headings."""
    anchors = set()
    for heading in re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


def test_relative_links_in_readme_and_docs_point_to_existing_files():
    assert DOCS, "docs/ has no Markdown files"
    broken = []
    for page in [README, *DOCS]:
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)  # not in code blocks
        for target in LINK.findall(text):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
                continue
            file_part, _, anchor = target.partition("#")
            resolved = (page.parent / file_part).resolve() if file_part else page
            where = f"{page.relative_to(ROOT)} → {target}"
            if not resolved.exists():
                broken.append(f"{where} (no file {file_part})")
            elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
                broken.append(f"{where} (no heading #{anchor} in {resolved.relative_to(ROOT)})")
    assert not broken, "links that point nowhere:\n" + "\n".join(broken)
