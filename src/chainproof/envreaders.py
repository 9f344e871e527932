"""Typed readers for configuration from environment variables.

Every reader names the variable and the value it found when it refuses one, so a
misconfigured deployment fails at start-up with a message a person can act on.
Pure Python: settings.py and the tests both call these.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


class ConfigError(ValueError):
    """A configuration value is missing or malformed."""


def _raw(name: str, env: Mapping[str, str] | None) -> str | None:
    source = os.environ if env is None else env
    value = source.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str | None = None, *, env: Mapping[str, str] | None = None) -> str:
    value = _raw(name, env)
    if value is None or value == "":
        if default is None:
            raise ConfigError(f"{name} is required but not set")
        return default
    return value


def env_bool(name: str, default: bool, *, env: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, env)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name}: expected one of 1/0, true/false, yes/no, on/off; found {value!r}")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, env)
    if value is None or value == "":
        return default
    try:
        number = int(value, 10)
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number, found {value!r}") from None
    if minimum is not None and number < minimum:
        raise ConfigError(f"{name}: expected at least {minimum}, found {number}")
    if maximum is not None and number > maximum:
        raise ConfigError(f"{name}: expected at most {maximum}, found {number}")
    return number


def env_list(name: str, default: list[str], *, env: Mapping[str, str] | None = None) -> list[str]:
    value = _raw(name, env)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(
    name: str, choices: tuple[str, ...], default: str, *, env: Mapping[str, str] | None = None
) -> str:
    value = _raw(name, env)
    if value is None or value == "":
        return default
    if value not in choices:
        raise ConfigError(f"{name}: expected one of {', '.join(choices)}; found {value!r}")
    return value


def env_path(name: str, default: Path, *, env: Mapping[str, str] | None = None) -> Path:
    value = _raw(name, env)
    if value is None or value == "":
        return default.resolve()
    if "\x00" in value:
        raise ConfigError(f"{name}: a path may not contain a NUL character")
    return Path(value).expanduser().resolve()


@dataclass(frozen=True)
class DatabaseConfig:
    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: tuple[tuple[str, str], ...] = ()

    def as_django(self) -> dict[str, object]:
        config: dict[str, object] = {
            "ENGINE": self.engine,
            "NAME": self.name,
            "USER": self.user,
            "PASSWORD": self.password,
            "HOST": self.host,
            "PORT": self.port,
        }
        if self.options:
            config["OPTIONS"] = dict(self.options)
        return config


_PG_SCHEMES = frozenset({"postgres", "postgresql", "pgsql"})


def parse_database_url(url: str, *, variable: str = "DATABASE_URL") -> DatabaseConfig:
    """Parse a PostgreSQL or SQLite URL into Django's database settings.

    ``postgresql://user:pass@host:5432/dbname?sslmode=require`` and
    ``sqlite:////absolute/path.db`` are accepted; anything else is refused.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in _PG_SCHEMES:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError(f"{variable}: the URL names no database, found {url!r}")
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(f"{variable}: the port is not a number in {url!r}") from None
        return DatabaseConfig(
            engine="django.db.backends.postgresql",
            name=name,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            host=parts.hostname or "",
            port=str(port or ""),
            options=tuple(parse_qsl(parts.query)),
        )
    if scheme == "sqlite":
        path = unquote(parts.path)[1:]  # sqlite:////abs/path -> "/abs/path"
        if parts.netloc or not path.startswith("/") or path == "/":
            raise ConfigError(f"{variable}: expected sqlite:////absolute/path.db, found {url!r}")
        return DatabaseConfig(engine="django.db.backends.sqlite3", name=path)
    raise ConfigError(
        f"{variable}: expected a postgresql:// or sqlite:// URL, found scheme {parts.scheme!r}"
    )
