"""Progress bars of long commands: drawn on a terminal, silent in pipes and CI."""

import io

from ideapankki import progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_gets_done_rate_and_time_left(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    stream = Terminal()
    with progress.bar("Indexing", stream) as report:
        report(50, 200)
        report(200, 200)
    shown = stream.getvalue()
    assert "Indexing" in shown and "200/200" in shown and "entries/s" in shown


def test_pipes_and_ci_get_no_bar(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with progress.bar("Indexing", io.StringIO()) as report:
        assert report is None
    monkeypatch.setenv("CI", "true")
    with progress.bar("Indexing", Terminal()) as report:
        assert report is None
