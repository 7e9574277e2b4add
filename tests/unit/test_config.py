"""Configuration comes from IDEAPANKKI_* variables; secrets are never constants in code."""

import pytest

from ideapankki.config import ConfigError, build_config, production_problems


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in ("IDEAPANKKI_SECRET_KEY", "IDEAPANKKI_DATABASE_URL", "IDEAPANKKI_HTTPS", "IDEAPANKKI_PUBLIC_URL",
                 "IDEAPANKKI_TRUSTED_HOSTS", "IDEAPANKKI_PROXY_FIX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("IDEAPANKKI_INSTANCE", str(tmp_path / "inst"))


def test_instance_folder_and_sqlite_default(tmp_path):
    config = build_config({"DEMO": True})
    assert config["INSTANCE_DIR"] == (tmp_path / "inst").resolve()
    assert config["DATABASE_URL"] == f"sqlite:///{(tmp_path / 'inst').resolve() / 'ideapankki.db'}"


def test_database_url_can_be_overridden(monkeypatch):
    monkeypatch.setenv("IDEAPANKKI_DATABASE_URL", "postgresql://u@localhost/ideapankki")
    assert build_config({"DEMO": True})["DATABASE_URL"] == "postgresql://u@localhost/ideapankki"


def test_secret_key_is_required_outside_demo():
    with pytest.raises(ConfigError, match="IDEAPANKKI_SECRET_KEY"):
        build_config({})


def test_demo_generates_a_secret_once_and_keeps_it(tmp_path):
    first = build_config({"DEMO": True})["SECRET_KEY"]
    second = build_config({"DEMO": True})["SECRET_KEY"]
    assert first == second and len(first) >= 40
    assert (tmp_path / "inst" / "secret_key").stat().st_mode & 0o777 == 0o600


def test_secret_key_from_environment_wins(monkeypatch):
    monkeypatch.setenv("IDEAPANKKI_SECRET_KEY", "from-env")
    monkeypatch.setenv("IDEAPANKKI_PUBLIC_URL", "https://ideapankki.example.fi")
    assert build_config({})["SECRET_KEY"] == "from-env"


def test_public_url_is_required_outside_demo_and_sets_the_trusted_hosts(monkeypatch):
    monkeypatch.setenv("IDEAPANKKI_SECRET_KEY", "from-env")
    with pytest.raises(ConfigError, match="IDEAPANKKI_PUBLIC_URL is not set"):
        build_config({})
    monkeypatch.setenv("IDEAPANKKI_PUBLIC_URL", "https://Ideapankki.example.fi/")
    monkeypatch.setenv("IDEAPANKKI_TRUSTED_HOSTS", "www.ideapankki.example.fi, .kuntaliitto.fi")
    config = build_config({})
    assert config["PUBLIC_URL"] == "https://ideapankki.example.fi"
    assert config["TRUSTED_HOSTS"] == ["ideapankki.example.fi", "www.ideapankki.example.fi", ".kuntaliitto.fi"]
    assert build_config({"DEMO": True})["TRUSTED_HOSTS"][-2:] == ["localhost", "127.0.0.1"]


@pytest.mark.parametrize("url", ["ideapankki.example.fi", "ftp://x.fi", "https://x.fi/path", "https://u:p@x.fi",
                                 "https://x.fi?q=1", "https://x.fi:99999", "https://"])
def test_a_bad_public_url_stops_the_start(monkeypatch, url):
    monkeypatch.setenv("IDEAPANKKI_PUBLIC_URL", url)
    with pytest.raises(ConfigError, match="IDEAPANKKI_PUBLIC_URL"):
        build_config({"DEMO": True})


def test_production_names_every_missing_setting(monkeypatch):
    assert [p.split(" ")[0] for p in production_problems()] == ["IDEAPANKKI_SECRET_KEY", "IDEAPANKKI_PUBLIC_URL"]
    monkeypatch.setenv("IDEAPANKKI_SECRET_KEY", "from-env")
    monkeypatch.setenv("IDEAPANKKI_PUBLIC_URL", "https://ideapankki.example.fi")
    problems = production_problems()
    assert "set IDEAPANKKI_HTTPS=1" in problems[0] and "set IDEAPANKKI_PROXY_FIX" in problems[1]
    monkeypatch.setenv("IDEAPANKKI_HTTPS", "1")
    monkeypatch.setenv("IDEAPANKKI_PROXY_FIX", "1")
    assert production_problems() == []


def test_cookies_are_secure_when_served_over_https(monkeypatch):
    assert build_config({"DEMO": True})["SESSION_COOKIE_SECURE"] is False
    monkeypatch.setenv("IDEAPANKKI_HTTPS", "1")
    config = build_config({"DEMO": True})
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True and config["SESSION_COOKIE_SAMESITE"] == "Lax"
