import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from chainproof.accounts.models import Membership, Organization, User
from chainproof.statements.models import Statement

pytestmark = pytest.mark.django_db


def test_init_is_idempotent_and_prints_the_password_once(capsys):
    call_command("init")
    first = capsys.readouterr().out
    assert "Password:" in first
    password = first.split("Password:")[1].split()[0]
    admin = User.objects.get(username="admin")
    assert admin.check_password(password)
    assert Membership.objects.get(user=admin, organization__slug="demo").role == "admin"
    # Last year's UK statement approved, this year's a draft compared with it.
    statements = Statement.objects.filter(organization__slug="demo").order_by("period_end")
    assert [(s.regime, s.status) for s in statements] == [
        ("uk_msa", "approved"),
        ("uk_msa", "draft"),
    ]
    assert statements[1].previous_id == statements[0].pk

    call_command("init")
    second = capsys.readouterr().out
    assert "Password:" not in second
    assert "already exists" in second
    assert Organization.objects.filter(slug="demo").count() == 1
    assert User.objects.get(username="admin").check_password(password)


def test_org_command_creates_org_and_member(capsys):
    call_command("org", "create", "Cinder Apparel")
    org = Organization.objects.get(name="Cinder Apparel")
    call_command("org", "add-member", org.slug, "carol", "--role", "analyst")
    out = capsys.readouterr().out
    assert "shown once" in out
    assert Membership.objects.get(user__username="carol", organization=org).role == "analyst"


def _cli(*args, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "chainproof", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_help_lists_every_chainproof_command_and_djangos():
    result = _cli("--help")
    assert result.returncode == 0
    for command in (
        "init",
        "start",
        "serve",
        "refdata",
        "audit",
        "org",
        "migrate",
        "createsuperuser",
    ):
        assert f"\n  {command} " in result.stdout
    # chainproof's commands come first; Django's own (flush, startproject) only after a
    # heading that says they are advanced.
    ours, _, advanced = result.stdout.partition("\nAdvanced (Django's own commands")
    assert advanced, result.stdout
    for command in ("init", "start", "serve", "refdata", "audit", "org"):
        assert f"\n  {command} " in ours
    for command in ("flush", "startproject", "migrate", "createsuperuser", "shell"):
        assert f"\n  {command} " not in ours
        assert f"\n  {command} " in advanced


def test_unknown_option_is_one_clear_error():
    result = _cli("refdata", "list", "--colour")
    assert result.returncode != 0
    assert "unrecognized arguments: --colour" in result.stderr


def test_missing_data_directory_is_one_clear_error(tmp_path):
    result = _cli("refdata", "list", env_extra={"CHAINPROOF_DATA_DIR": str(tmp_path / "nope")})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"chainproof: configuration error: CHAINPROOF_DATA_DIR={tmp_path / 'nope'} does not "
        "exist. Run `chainproof init` to create it, or correct the path."
    )


def test_bad_setting_is_one_clear_error():
    result = _cli("check", env_extra={"CHAINPROOF_DEBUG": "perhaps"})
    assert result.returncode == 2
    assert "CHAINPROOF_DEBUG: expected" in result.stderr


def test_the_rq_backend_without_a_redis_address_is_one_clear_error():
    result = _cli(
        "worker", "--once", env_extra={"CHAINPROOF_TASKS_BACKEND": "rq", "CHAINPROOF_REDIS_URL": ""}
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "chainproof: configuration error: CHAINPROOF_REDIS_URL: expected an address such as "
        "redis://127.0.0.1:6379/0 when CHAINPROOF_TASKS_BACKEND=rq"
    )


def test_check_deploy_passes_in_a_production_configuration():
    result = _cli(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "CHAINPROOF_HTTPS": "1",
            "CHAINPROOF_ALLOWED_HOSTS": "chainproof.example.com",
            "SECRET_KEY": "p" * 20 + "R4nd0m-Enough-Secret-Key-For-Production-Use-0123456789",
        },
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_command_on_a_database_never_set_up_says_what_to_run(tmp_path):
    listing = tmp_path / "list.csv"
    listing.write_text("legal_name,country\nAcme,CN\n", encoding="utf-8")
    env = {"CHAINPROOF_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    result = _cli("import", "suppliers", str(listing), env_extra=env)
    assert result.returncode == 2
    assert "Run `chainproof init`" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.same_on_every_database  # its own SQLite file in tmp_path
def test_a_command_on_a_database_behind_the_code_says_to_migrate(tmp_path):
    env = {"CHAINPROOF_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    # Only the suppliers' tables up to 0005 (and what they need): an older database.
    rolled = _cli("migrate", "suppliers", "0005", "--verbosity", "0", env_extra=env)
    assert rolled.returncode == 0, rolled.stderr
    result = _cli("org", "create", "Behind Inc", env_extra=env)
    assert result.returncode == 2
    assert "Run `chainproof migrate` first" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_option_of_every_chainproof_command_is_described():
    import argparse

    from django.core.management import get_commands, load_command_class

    django_own = {"--version", "--verbosity", "--settings", "--pythonpath", "--traceback"}
    django_own |= {"--no-color", "--force-color", "--skip-checks", "-h", "--help"}
    undescribed: list[str] = []
    seen = 0

    def walk(parser: argparse.ArgumentParser, where: str) -> None:
        nonlocal seen
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{where} {name}")
                continue
            if set(action.option_strings) & django_own:
                continue
            seen += 1
            if not action.help or action.help == argparse.SUPPRESS:
                undescribed.append(f"{where} {'/'.join(action.option_strings) or action.dest}")

    for name, app in sorted(get_commands().items()):
        if app.startswith("chainproof."):
            walk(load_command_class(app, name).create_parser("chainproof", name), name)
    assert seen > 50  # the walk reached the commands' own options
    assert undescribed == []
