"""Behind a reverse proxy: forwarded headers count only when configured; HSTS only over HTTPS."""

import shutil

import pytest
from flask import request

from ideapankki import create_app
from ideapankki.config import ConfigError
from ideapankki.migrate import init_database
from ideapankki.web.database import ENGINE_KEY
from ideapankki import close_app
from ideapankki.web.serving.proxy import HSTS, proxy_fix_counts

FORWARDED = {"X-Forwarded-For": "203.0.113.9, 198.51.100.7", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "evil.example"}


@pytest.fixture
def make_app(tmp_path, monkeypatch, sqlite_template):
    """Build the app the way a server does, from the environment given; its database is a copy of the
    session's migrated template (init_database finds it at head: a migration from nothing cost ~2 s)."""
    shutil.copy(sqlite_template.path, tmp_path / "web.db")
    apps = []

    def make(**env):
        for name in ("IDEAPANKKI_PROXY_FIX", "IDEAPANKKI_HTTPS", "IDEAPANKKI_PUBLIC_URL", "IDEAPANKKI_TRUSTED_HOSTS"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        app = create_app({"TESTING": True, "INSTANCE_DIR": tmp_path / "instance", "SECRET_KEY": "test",
                          "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}"})
        init_database(app.extensions[ENGINE_KEY])
        app.add_url_rule("/_client", "client_seen", lambda: f"{request.remote_addr} {request.url_root}")
        apps.append(app)
        return app

    yield make
    for app in apps:
        close_app(app)


def test_forwarded_headers_are_ignored_unless_configured(make_app):
    client = make_app().test_client()
    assert client.get("/_client", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.2"}).text == \
        "10.0.0.2 http://localhost/"
    assert "Sitemap: http://localhost/sitemap.xml" in client.get("/robots.txt", headers=FORWARDED).text


def test_one_trusted_proxy_gives_the_client_address_and_scheme_but_not_the_host(make_app):
    client = make_app(IDEAPANKKI_PROXY_FIX="1").test_client()
    # The proxy appended the address it saw (198.51.100.7); the earlier hop is the client's own claim.
    seen = client.get("/_client", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.2"}).text
    assert seen == "198.51.100.7 https://localhost/"
    # Absolute links come from the public URL, whatever the request's scheme and host.
    assert "Sitemap: http://localhost/sitemap.xml" in client.get("/robots.txt", headers=FORWARDED).text


def test_the_long_form_chooses_each_header(make_app):
    client = make_app(IDEAPANKKI_PROXY_FIX="x_for=2,x_proto=1,x_host=1",
                      IDEAPANKKI_TRUSTED_HOSTS="ideapankki.example.fi").test_client()
    assert client.get("/_client", headers=FORWARDED).status_code == 400  # a host the site does not serve
    trusted = {**FORWARDED, "X-Forwarded-Host": "ideapankki.example.fi"}
    assert client.get("/_client", headers=trusted).text == "203.0.113.9 https://ideapankki.example.fi/"


def test_a_bad_proxy_setting_stops_the_start(make_app):
    with pytest.raises(ConfigError, match="IDEAPANKKI_PROXY_FIX"):
        make_app(IDEAPANKKI_PROXY_FIX="yes")
    assert proxy_fix_counts("0") is None and proxy_fix_counts("") is None
    assert proxy_fix_counts("2") == {"x_for": 2, "x_proto": 2}


def test_hsts_only_when_served_over_https(make_app):
    assert "Strict-Transport-Security" not in make_app().test_client().get("/").headers
    client = make_app(IDEAPANKKI_HTTPS="1").test_client()
    for path in ("/", "/api/v1/themes", "/no-such-page", "/healthz"):
        assert client.get(path).headers["Strict-Transport-Security"] == HSTS == \
            "max-age=31536000; includeSubDomains"


def test_https_cookies_are_secure_and_links_absolute_https(make_app):
    client = make_app(IDEAPANKKI_HTTPS="1", IDEAPANKKI_PUBLIC_URL="https://localhost").test_client()
    response = client.get("/login")
    cookie = response.headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie
    assert "Sitemap: https://localhost/sitemap.xml" in client.get("/robots.txt").text
