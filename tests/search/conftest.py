"""Fixtures for search tests: a database and its index in tmp_path."""

import pytest

from factories import make_entry
from ideapankki.search import SearchIndex


class SearchBench:
    """A database with a search index; add entries and search as the site does."""

    def __init__(self, engine, session, root):
        self.engine, self.session = engine, session
        self.index = SearchIndex(root, engine)

    def add(self, slug, **fields):
        entry = make_entry(self.session, slug, **fields)
        self.index.catch_up()
        return entry

    def slugs(self, text="", **kw):
        from ideapankki.search.filters import Filters

        filters = Filters(**kw.pop("filters", {}))
        response = self.index.search(text, filters, per_page=kw.pop("per_page", 50), **kw)
        by_id = {h.entry_id: h.slug for h in response.hits}
        return [by_id[h.entry_id] for h in response.hits]


@pytest.fixture
def bench(engine, session, tmp_path):
    return SearchBench(engine, session, tmp_path / "search")
