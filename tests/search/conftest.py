"""Fixtures for search tests: a database and its index in tmp_path (`bench`), or one per module for
tests that only search (`module_bench`, read through `reading`)."""

import pytest
from sqlmodel import Session

from factories import make_entry
from ideapankki.changes import site_version
from ideapankki.db import create_db_engine
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
def search_bench():
    """SearchBench itself, for a fixture that makes one over a database of its own (test_index_damage)."""
    return SearchBench


@pytest.fixture
def bench(engine, session, tmp_path):
    return SearchBench(engine, session, tmp_path / "search")


@pytest.fixture(scope="module")
def module_bench(module_databases, tmp_path_factory):
    """One database and index for a module's tests that only search: arrange it once in a module
    fixture, and give the tests `reading(bank)`'s guard (a test that adds entries takes `bench`)."""
    engine = create_db_engine(module_databases.fresh())
    with Session(engine, expire_on_commit=False) as session:
        yield SearchBench(engine, session, tmp_path_factory.mktemp("module-search") / "search")
    engine.dispose()


@pytest.fixture
def reading():
    """reading(bench) -> bench, and the test fails if it changed the shared database (site_version moved)."""
    seen = []

    def read(bench):
        seen.append((bench, site_version(bench.engine)))
        return bench

    yield read
    for bench, before in seen:
        assert site_version(bench.engine) == before, "a test on a module_bench wrote: give it `bench`"
