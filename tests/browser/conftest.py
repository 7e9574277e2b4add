"""Browser tests: the real app served over HTTP on loopback, driven by Debian's Chromium.

The server runs in a thread (werkzeug's make_server on 127.0.0.1 and a free port) over a
SQLite file in a temporary instance with the seed content published (see site_world.py). One
Chromium serves the whole session; each test gets a fresh context (cookies, language).

Fixtures: `site` (url, app, instance, world, mail()), `browser`, `new_context(**kwargs)`,
`page` (anonymous), `page_as(role)` and `logged_in_state(role)` for "member", "moderator" and
"admin"; `tab_as(role)`, a module's one page of a role, for checks that open a page and read it;
helpers (log_in, in_language) are in browsing.py, the data in site_world.py.

Without /usr/bin/chromium the tests are skipped, unless IDEAPANKKI_REQUIRE_BROWSER is set
(as in CI), when they fail: a missing browser must not pass as green.
"""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from ideapankki import create_app
from ideapankki.web.database import ENGINE_KEY
from ideapankki.web.index import SEARCH_KEY
from ideapankki import close_app
from ideapankki.web.serving import dev_server

from browsing import CHROMIUM, CHROMIUM_ARGS, log_in, require_chromium
from site_world import World, build_world

RESERVED_PORTS = {5060, 5061}  # browsers refuse SIP ports as "unsafe"


@dataclass
class Site:
    """The running site: its base URL, the Flask app, its instance folder and the data in it."""

    url: str
    app: object
    instance: Path
    world: World

    def mail(self) -> list[Path]:
        """The messages the site has sent (written as .eml files without SMTP)."""
        return sorted((self.instance / "mail").glob("*.eml"))


def _serve(app):
    for _attempt in range(5):
        server = make_server("127.0.0.1", 0, dev_server.closing(app), threaded=True)
        if server.server_port not in RESERVED_PORTS:
            return server
        server.server_close()
    raise RuntimeError("no free port outside the reserved ones")


@pytest.fixture(scope="session")
def site(tmp_path_factory, sqlite_template):
    """The app served on 127.0.0.1 for the whole session, on a copy of the session's migrated SQLite
    template (build_world's init_database finds it at head: a migration from nothing cost ~2 s)."""
    base = tmp_path_factory.mktemp("browser-site")
    shutil.copy(sqlite_template.path, base / "site.db")
    app = create_app({"TESTING": True, "SECRET_KEY": "browser-tests", "INSTANCE_DIR": base / "instance",
                      "DATABASE_URL": f"sqlite:///{base / 'site.db'}"})
    world = build_world(app.extensions[ENGINE_KEY])
    app.extensions[SEARCH_KEY].catch_up()  # index the seed now, not during the first test's search
    server = _serve(app)
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"  # links in mail, feeds...: this server
    thread = threading.Thread(target=server.serve_forever, name="browser-site", daemon=True)
    thread.start()
    try:
        yield Site(f"http://127.0.0.1:{server.server_port}", app, base / "instance", world)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
        close_app(app)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (skipped, or failed in CI, when it is not installed)."""
    require_chromium(CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_context(browser, site):
    """Make browser contexts on the site (kwargs go to browser.new_context); all closed afterwards."""
    contexts = []

    def make(**kwargs):
        kwargs.setdefault("base_url", site.url)
        kwargs.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**kwargs)
        context.set_default_timeout(30_000)  # the machine may be busy
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a fresh anonymous context."""
    return new_context().new_page()


@pytest.fixture(scope="session")
def logged_in_state(browser, site):
    """Storage states (cookies) per role, each made once by logging in through the form."""
    states = {}

    def state(role: str) -> dict:
        if role not in states:
            context = browser.new_context(base_url=site.url)
            try:
                page = context.new_page()
                log_in(page, site.world.emails[role])
                states[role] = context.storage_state()
            finally:
                context.close()
        return states[role]

    return state


@pytest.fixture
def page_as(new_context, logged_in_state):
    """page_as(role) -> a page logged in as "member", "moderator" or "admin"."""
    return lambda role: new_context(storage_state=logged_in_state(role)).new_page()


@pytest.fixture(scope="module")
def init_scripts() -> list[str]:
    """Scripts run at the start of every document of the module's tab_as pages (a module overrides it)."""
    return []


@pytest.fixture(scope="module")
def tab_as(browser, site, logged_in_state, init_scripts):
    """tab_as(role or None) -> the module's one page of that role (anonymous for None), made on first use.

    For tests that open a page and read it: each navigates first, so one page (and its context) serves
    all of them. A new context and page cost ~0.5 CPU-s of Chromium (a renderer process started),
    four times a navigation in a page that is already open. A test that sets the viewport sets it
    itself (set_viewport_size), before it navigates.
    """
    contexts, tabs = [], {}

    def tab(role):
        if role not in tabs:
            state = {"storage_state": logged_in_state(role)} if role else {}
            context = browser.new_context(base_url=site.url, viewport={"width": 1280, "height": 900}, **state)
            context.set_default_timeout(30_000)  # the machine may be busy
            for script in init_scripts:
                context.add_init_script(script=script)
            contexts.append(context)
            tabs[role] = context.new_page()
        return tabs[role]

    yield tab
    for context in contexts:
        context.close()
