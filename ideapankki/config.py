"""Configuration: defaults, then IDEAPANKKI_* environment, then explicit overrides (tests)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
TEMPLATES_DIR = PROJECT_DIR / "templates"
MIGRATIONS_DIR = PROJECT_DIR / "migrations"
CONTENT_DIR = PROJECT_DIR / "content"
STATIC_DIR = PACKAGE_DIR / "static"
TRANSLATIONS_DIR = PACKAGE_DIR / "translations"
DATA_DIR = PACKAGE_DIR / "data"

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"


class ConfigError(RuntimeError):
    """The configuration cannot run the site; the message says what to set."""


def instance_dir(override: str | os.PathLike | None = None) -> Path:
    """Return the instance folder (state: database, index, secrets), creating it."""
    path = Path(override or os.environ.get("IDEAPANKKI_INSTANCE") or Path.cwd() / "instance")
    path = path.resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(instance: Path) -> str:
    """Return the database URL: IDEAPANKKI_DATABASE_URL or a SQLite file in the instance."""
    return os.environ.get("IDEAPANKKI_DATABASE_URL") or f"sqlite:///{instance / 'ideapankki.db'}"


def secret_key(instance: Path, *, demo: bool) -> str:
    """Return the secret key from the environment, or a generated one kept in the instance.

    Outside demo/debug a missing key is an error: a generated key on a shared
    deployment would differ per server and silently log everyone out.
    """
    key = os.environ.get("IDEAPANKKI_SECRET_KEY")
    if key:
        return key
    if not demo:
        raise ConfigError(
            "IDEAPANKKI_SECRET_KEY is not set. Set it to a long random string, "
            "or run the demo server with `ideapankki serve`."
        )
    key_file = instance / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


DEMO_HOSTS = ("localhost", "127.0.0.1")  # the demo server and tests also answer to these


def public_url(value: str | None, *, demo: bool) -> str:
    """Return the site's public base URL (scheme://host[:port]), from which every absolute link is built.

    Links in mail, feeds and the like must not follow a request's Host header (a password link
    could otherwise be mailed pointing to any host). Required outside the demo and tests, where
    it defaults to http://localhost (the demo server passes its own address).
    """
    value = (value or "").strip()
    if not value:
        if not demo:
            raise ConfigError("IDEAPANKKI_PUBLIC_URL is not set. Set it to the address people use for the site, "
                              "e.g. https://ideapankki.example.fi")
        value = "http://localhost"
    parts = urlsplit(value)
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password
            or parts.path not in ("", "/") or parts.query or parts.fragment or "\\" in value):
        raise ConfigError(f"IDEAPANKKI_PUBLIC_URL must be http:// or https:// and a host name (and port), "
                          f"without a path, e.g. https://ideapankki.example.fi; not {value!r}")
    try:
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"IDEAPANKKI_PUBLIC_URL has a bad port: {value!r}") from exc
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}{f':{port}' if port else ''}"


def trusted_hosts(url: str, extra: str | None, *, demo: bool) -> list[str]:
    """Host names the site answers (Flask's TRUSTED_HOSTS; any other Host header gets 400): the
    public URL's, those in IDEAPANKKI_TRUSTED_HOSTS (comma-separated; ".example.fi" allows its
    subdomains) and, in the demo and tests, the loopback names."""
    hosts = [urlsplit(url).hostname] + [h.strip().lower() for h in (extra or "").split(",") if h.strip()]
    if demo:
        hosts += DEMO_HOSTS
    return list(dict.fromkeys(hosts))


def production_problems() -> list[str]:
    """What a production server (`serve --workers`) still needs set, each saying what to do."""
    problems = []
    try:
        secret_key(Path("."), demo=False)
    except ConfigError as exc:
        problems.append(str(exc))
    try:
        url = public_url(os.environ.get("IDEAPANKKI_PUBLIC_URL"), demo=False)
    except ConfigError as exc:
        problems.append(str(exc))
    else:
        if url.startswith("https:") and os.environ.get("IDEAPANKKI_HTTPS") != "1":
            problems.append("IDEAPANKKI_PUBLIC_URL is https://: set IDEAPANKKI_HTTPS=1 (Secure cookies, HSTS).")
        if url.startswith("https:") and not (os.environ.get("IDEAPANKKI_PROXY_FIX") or "").strip():
            problems.append("IDEAPANKKI_PUBLIC_URL is https:// but the server speaks plain HTTP, so a proxy ends "
                            "TLS in front of it: set IDEAPANKKI_PROXY_FIX to the number of proxies (e.g. 1), "
                            "or 0 if none sets X-Forwarded-For.")
    return problems


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name} must be a whole number of 1 or more, not {raw!r}")
    return int(raw)


def storage(instance: str | os.PathLike | None = None) -> dict:
    """Where the state lives: the instance folder and the database. The CLI opens the database and
    the index from this (db.open_engine, search.open_index); the site's config starts from it."""
    path = instance_dir(instance)
    return {"INSTANCE_DIR": path, "DATABASE_URL": database_url(path)}


def build_config(overrides: dict | None = None) -> dict:
    """Assemble the Flask config mapping for create_app."""
    overrides = dict(overrides or {})
    config = storage(overrides.pop("INSTANCE_DIR", None))
    instance = config["INSTANCE_DIR"]
    demo = bool(overrides.get("DEMO") or overrides.get("DEBUG") or overrides.get("TESTING"))
    config |= {
        "BABEL_DEFAULT_LOCALE": DEFAULT_LANGUAGE,
        "BABEL_TRANSLATION_DIRECTORIES": str(TRANSLATIONS_DIR),
        "LANGUAGES": LANGUAGES,
        "PER_PAGE": 20,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("IDEAPANKKI_HTTPS") == "1",
        "WTF_CSRF_TIME_LIMIT": None,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": os.environ.get("IDEAPANKKI_HTTPS") == "1",
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "SEED_CONTENT_DIR": CONTENT_DIR,
        # accessibility feedback (the statement at /accessibility); unset: the mail sender's address
        "ACCESSIBILITY_FEEDBACK": os.environ.get("IDEAPANKKI_ACCESSIBILITY_FEEDBACK") or None,
        "SUBMISSIONS_PER_HOUR": _positive_int("IDEAPANKKI_SUBMISSIONS_PER_HOUR", 20),
        "PREVIEWS_PER_HOUR": _positive_int("IDEAPANKKI_PREVIEWS_PER_HOUR", 120),
        # mail asked for by people who are not logged in, per address and per client an hour (limits.py)
        "MAILS_PER_ADDRESS": _positive_int("IDEAPANKKI_MAILS_PER_ADDRESS", 5),
        "MAILS_PER_CLIENT": _positive_int("IDEAPANKKI_MAILS_PER_CLIENT", 20),
        # a site with one moderator: an admin may publish their own text, recorded (transitions.FOUR_EYES)
        "SINGLE_MODERATOR": os.environ.get("IDEAPANKKI_SINGLE_MODERATOR") == "1",
        # readers' reports of errors per client address an hour (ideapankki.reports)
        "REPORTS_PER_CLIENT": _positive_int("IDEAPANKKI_REPORTS_PER_CLIENT", 10),
        # followers' digests: planned per `notify` run, and mails per address a day (ideapankki.digests)
        "NOTIFY_PER_RUN": _positive_int("IDEAPANKKI_NOTIFY_PER_RUN", 1000),
        "NOTIFY_PER_ADDRESS_DAY": _positive_int("IDEAPANKKI_NOTIFY_PER_ADDRESS_DAY", 10),
    }
    config.update(overrides)
    if "SECRET_KEY" not in config:
        config["SECRET_KEY"] = secret_key(instance, demo=demo)
    config["PUBLIC_URL"] = public_url(config.get("PUBLIC_URL") or os.environ.get("IDEAPANKKI_PUBLIC_URL"), demo=demo)
    config.setdefault("TRUSTED_HOSTS", trusted_hosts(config["PUBLIC_URL"], os.environ.get("IDEAPANKKI_TRUSTED_HOSTS"),
                                                     demo=demo))
    return config
