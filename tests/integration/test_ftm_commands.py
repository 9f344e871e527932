"""The interchange commands: export-ftm, import-ftm and export-osh, with their one-line
failures; listed in ``chainproof --help`` among chainproof's own commands."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chainproof.cli import _help_text
from chainproof.interchange.osh_export import OSH_HEADERS
from chainproof.suppliers.models import Facility, Supplier
from tests.conftest import make_member

pytestmark = pytest.mark.django_db

CHAIN = [
    {
        "id": "s-1",
        "schema": "Company",
        "properties": {"name": ["Hengtai Knit Co., Ltd."], "country": ["cn"]},
    },
    {
        "id": "w-1",
        "schema": "Company",
        "properties": {
            "name": ["Hengtai Dyeing Plant"],
            "country": ["cn"],
            "keywords": ["chainproof:worksite"],
            "sourceUrl": ["https://opensupplyhub.org/facilities/CN2019303BQ3FZP"],
        },
    },
    {
        "id": "c-1",
        "schema": "Control",
        "properties": {"controller": ["s-1"], "controlled": ["w-1"], "role": ["operator"]},
    },
]


def test_the_commands_are_listed_among_chainproofs_own():
    text = _help_text()
    ours = text.split("Advanced")[0]
    for name in ("export-ftm", "import-ftm", "export-osh"):
        assert f"  {name} " in ours


def test_import_then_export_through_the_commands(alice, refdata, tmp_path):
    slug = alice.organization.slug
    source = tmp_path / "in.ftm.json"
    source.write_text("\n".join(json.dumps(e) for e in CHAIN), encoding="utf-8")
    out = io.StringIO()
    call_command("import-ftm", str(source), "--organization", slug, stdout=out)
    assert "suppliers: 1 added" in out.getvalue()
    assert "worksites: 1 added" in out.getvalue()
    site = Facility.objects.get(organization=alice.organization)
    assert site.supplier == Supplier.objects.get(organization=alice.organization)
    assert site.os_id == "CN2019303BQ3FZP"

    target = tmp_path / "out.ftm.json"
    call_command("export-ftm", "--organization", slug, "-o", str(target), stderr=io.StringIO())
    schemata = [json.loads(line)["schema"] for line in target.read_text().splitlines()]
    assert sorted(schemata) == ["Company", "Company", "Company", "Control"]

    listing = io.StringIO()
    call_command("export-osh", "--organization", slug, stdout=listing)
    rows = list(csv.reader(io.StringIO(listing.getvalue())))
    assert rows[0] == list(OSH_HEADERS)
    assert rows[1][:2] == ["CN", "Hengtai Dyeing Plant"]
    assert rows[1][-1] == "CN2019303BQ3FZP"
    assert rows[1][OSH_HEADERS.index("parent_company")] == "Hengtai Knit Co., Ltd."


def test_a_refused_file_is_one_message_naming_line_and_entity(alice, refdata, tmp_path):
    make_member("Borealis Trading", "bob", "admin")  # two organizations: --organization needed
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(CHAIN[0]) + "\n" + '{"id": "x", "schema": "Nope"}\n')
    with pytest.raises(CommandError) as caught:
        call_command("import-ftm", str(bad), "--organization", alice.organization.slug)
    message = str(caught.value)
    assert "nothing was imported" in message
    assert "line 2, entity x: expected a schema of FollowTheMoney" in message
    assert "found 'Nope'" in message
    assert not Supplier.objects.exists()
    with pytest.raises(CommandError, match="several organizations"):
        call_command("export-ftm")
    with pytest.raises(CommandError, match="XLSX needs --output"):
        call_command("export-osh", "--organization", alice.organization.slug, "--format", "xlsx")
