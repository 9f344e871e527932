from pathlib import Path

import pytest

from chainproof.envreaders import (
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_path,
    env_str,
    parse_database_url,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("YES", True),
        ("on", True),
        ("0", False),
        ("off", False),
        ("", False),
        ("False", False),
    ],
)
def test_env_bool_accepts_the_usual_spellings(raw, expected):
    assert env_bool("X", not expected, env={"X": raw}) is expected


def test_env_bool_default_when_unset():
    assert env_bool("X", True, env={}) is True


def test_env_bool_refuses_anything_else_naming_variable_and_value():
    with pytest.raises(ConfigError, match=r"CHAINPROOF_DEBUG: expected .* found 'maybe'"):
        env_bool("CHAINPROOF_DEBUG", False, env={"CHAINPROOF_DEBUG": "maybe"})


def test_env_int_parses_and_checks_bounds():
    assert env_int("N", 5, env={"N": " 42 "}) == 42
    assert env_int("N", 5, env={}) == 5
    with pytest.raises(ConfigError, match="N: expected a whole number, found '4x'"):
        env_int("N", 5, env={"N": "4x"})
    with pytest.raises(ConfigError, match="N: expected at least 10, found 3"):
        env_int("N", 50, minimum=10, env={"N": "3"})
    with pytest.raises(ConfigError, match="expected at most 9"):
        env_int("N", 5, maximum=9, env={"N": "10"})


def test_env_str_required_and_default():
    assert env_str("S", "d", env={}) == "d"
    assert env_str("S", env={"S": "v"}) == "v"
    with pytest.raises(ConfigError, match="S is required"):
        env_str("S", env={})


def test_env_list_splits_on_commas():
    assert env_list("L", ["a"], env={"L": "x.com, y.com,,"}) == ["x.com", "y.com"]
    assert env_list("L", ["a"], env={}) == ["a"]


def test_env_choice():
    assert env_choice("C", ("a", "b"), "a", env={"C": "b"}) == "b"
    with pytest.raises(ConfigError, match="C: expected one of a, b; found 'z'"):
        env_choice("C", ("a", "b"), "a", env={"C": "z"})


def test_env_path_resolves(tmp_path):
    assert env_path("P", Path("x"), env={"P": str(tmp_path)}) == tmp_path.resolve()
    with pytest.raises(ConfigError, match="NUL"):
        env_path("P", Path("x"), env={"P": "a\x00b"})


def test_parse_postgres_url():
    config = parse_database_url("postgresql://me:p%40ss@db.local:6543/chain?sslmode=require")
    assert config.as_django() == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "chain",
        "USER": "me",
        "PASSWORD": "p@ss",
        "HOST": "db.local",
        "PORT": "6543",
        "OPTIONS": {"sslmode": "require"},
    }


def test_parse_sqlite_url():
    assert parse_database_url("sqlite:////var/lib/cp.db").name == "/var/lib/cp.db"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x/y", "expected a postgresql:// or sqlite:// URL, found scheme 'mysql'"),
        ("postgresql://host:5432/", "names no database"),
        ("postgresql://host:port/db", "port is not a number"),
        ("sqlite://relative.db", "expected sqlite:////absolute/path.db"),
    ],
)
def test_parse_database_url_refuses_bad_urls(url, message):
    with pytest.raises(ConfigError, match=message):
        parse_database_url(url)
