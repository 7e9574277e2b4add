"""Configuration comes from IDEAPANKKI_* variables; secrets are never constants in code."""

import pytest

from ideapankki.config import ConfigError, build_config


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in ("IDEAPANKKI_SECRET_KEY", "IDEAPANKKI_DATABASE_URL", "IDEAPANKKI_HTTPS"):
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
    assert build_config({})["SECRET_KEY"] == "from-env"


def test_cookies_are_secure_when_served_over_https(monkeypatch):
    assert build_config({"DEMO": True})["SESSION_COOKIE_SECURE"] is False
    monkeypatch.setenv("IDEAPANKKI_HTTPS", "1")
    config = build_config({"DEMO": True})
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True and config["SESSION_COOKIE_SAMESITE"] == "Lax"
