"""The keyed audit chain and its signed checkpoints, attacked as someone with write access
to the database (raw SQL) but without the audit key, which lives outside the database."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings

from chainproof.accounts.services import organization_create
from chainproof.audit.checkpoints import checkpoint_write, checkpoints_read
from chainproof.audit.models import AuditChainHead, AuditEvent
from chainproof.audit.selectors import verify_audit_chain, verify_organization_chain
from chainproof.audit.services import audit_record, chain_for
from chainproof.domain.hashing import GENESIS_HASH, chain_hash

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkpoints(tmp_path):
    with override_settings(AUDIT_CHECKPOINTS=tmp_path / "checkpoints.jsonl"):
        yield tmp_path / "checkpoints.jsonl"


def _org_with_events(n=5):
    with transaction.atomic():
        org = organization_create(name="Keyed Chain Co")
        for i in range(n):
            audit_record(action="test.step", organization=org, object_type="test", object_id=i)
    return org


def _rewrite_plain(chain: str, *, from_seq: int, change: dict[str, object]) -> None:
    """What an attacker with SQL access does: change an event, then recompute every later
    link and the head with plain SHA-256 (the only hash they can compute)."""
    events = list(AuditEvent.objects.filter(chain=chain).order_by("seq"))
    prev = GENESIS_HASH if from_seq == 1 else events[from_seq - 2].hash
    with connection.cursor() as cursor:
        for event in events[from_seq - 1 :]:
            if event.seq == from_seq:
                for field, value in change.items():
                    setattr(event, field, value)
            digest = chain_hash(prev, event.hash_payload())
            cursor.execute(
                "UPDATE audit_auditevent SET actor_label = %s, prev_hash = %s, hash = %s, "
                "keyed = %s WHERE id = %s",
                [event.actor_label, prev, digest, False, event.pk],
            )
            prev = digest
        cursor.execute("UPDATE audit_auditchainhead SET hash = %s WHERE chain = %s", [prev, chain])


def test_every_event_is_keyed_and_the_chain_verifies(checkpoints):
    org = _org_with_events()
    assert AuditEvent.objects.filter(organization=org).count() == 6
    assert not AuditEvent.objects.filter(organization=org, keyed=False).exists()
    assert verify_organization_chain(org.pk).ok


def test_a_forged_event_with_recomputed_links_is_found(checkpoints):
    org = _org_with_events()
    _rewrite_plain(chain_for(org.pk), from_seq=4, change={"actor_label": "mallory"})
    result = verify_organization_chain(org.pk)
    assert not result.ok
    assert result.first_break.seq == 4
    assert "without the audit key" in result.first_break.reason


def test_links_recomputed_with_a_guessed_key_are_found(checkpoints):
    org = _org_with_events()
    chain = chain_for(org.pk)
    target = AuditEvent.objects.get(chain=chain, seq=3)
    target.actor_label = "mallory"
    forged = chain_hash(target.prev_hash, target.hash_payload(), b"a guess at the key")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_label = %s, hash = %s WHERE id = %s",
            ["mallory", forged, target.pk],
        )
    result = verify_organization_chain(org.pk)
    assert result.first_break.seq == 3
    assert "content was changed" in result.first_break.reason


def test_a_chain_rewritten_from_its_start_is_caught_by_a_checkpoint(checkpoints):
    org = _org_with_events()
    chain = chain_for(org.pk)
    assert chain in [c.chain for c in checkpoint_write()]
    _rewrite_plain(chain, from_seq=1, change={"actor_label": "mallory"})
    # Without the key, the whole chain now looks like history from before keying...
    result = verify_audit_chain(chain, checkpoints=None)
    assert result.first_break is None
    assert result.unkeyed == 6
    # ...but the signed checkpoint names the hash the head had, and it is gone.
    result = verify_organization_chain(org.pk)
    assert not result.ok
    assert "rewritten" in result.checkpoints.problem


def test_events_cut_from_the_end_with_the_head_are_caught_by_a_checkpoint(checkpoints):
    org = _org_with_events()
    chain = chain_for(org.pk)
    checkpoint_write()
    last_two = AuditEvent.objects.filter(chain=chain, seq__gte=5)
    kept = AuditEvent.objects.get(chain=chain, seq=4)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [e.pk for e in last_two]
        )
        cursor.execute(
            "UPDATE audit_auditchainhead SET seq = 4, hash = %s WHERE chain = %s",
            [kept.hash, chain],
        )
    result = verify_organization_chain(org.pk)
    assert result.first_break is None  # the chain alone cannot tell
    assert "removed" in result.checkpoints.problem


def test_a_made_up_checkpoint_is_refused(checkpoints):
    org = _org_with_events()
    checkpoint_write()
    lines = [json.loads(text) for text in checkpoints.read_text().splitlines()]
    line = next(item for item in lines if item["chain"] == chain_for(org.pk))
    line["seq"] = 2  # claim the chain was shorter, keep the old signature
    checkpoints.write_text(json.dumps(line) + "\n")
    result = verify_organization_chain(org.pk)
    assert "forged" in result.checkpoints.problem


def test_history_from_before_keying_is_accepted_only_at_the_start(checkpoints):
    with transaction.atomic():
        org = organization_create(name="Old Instance Co")
    chain = chain_for(org.pk)
    _rewrite_plain(chain, from_seq=1, change={})  # as written by the unkeyed release
    with transaction.atomic():
        audit_record(action="test.after_upgrade", organization=org)
    result = verify_organization_chain(org.pk)
    assert result.ok
    assert result.unkeyed == 1
    assert AuditEvent.objects.filter(chain=chain, keyed=True).count() == 1


def test_checkpoint_and_verify_commands(checkpoints, tmp_path, capsys):
    org = _org_with_events()
    with transaction.atomic():  # the global chain has an event whatever ran before (a flush)
        audit_record(action="test.step", object_type="test", object_id="global")
    exported = tmp_path / "for-the-auditor.jsonl"
    call_command("audit", "checkpoint", "--export", str(exported))
    assert "Signed 2 checkpoint(s)" in capsys.readouterr().out  # the org's and the global
    assert len(checkpoints_read(exported)) == 2
    call_command("audit", "verify", "--checkpoints", str(exported))
    out = capsys.readouterr().out
    assert "keyed chain intact" in out
    assert "1 checkpoint(s) match" in out
    _rewrite_plain(chain_for(org.pk), from_seq=1, change={"actor_label": "mallory"})
    with pytest.raises(CommandError, match="rewritten"):
        call_command("audit", "verify", "--organization", org.slug, "--checkpoints", str(exported))
    assert AuditChainHead.objects.filter(chain=chain_for(org.pk)).exists()


def test_the_verification_page_shows_both_results(csrf_client, alice, checkpoints):
    with transaction.atomic():
        audit_record(action="test.step", organization=alice.organization)
    checkpoint_write()
    csrf_client.sign_in(alice)
    page = csrf_client.get("/audit/verify/")
    assert page.status_code == 200
    assert b"The chain holds" in page.content
    assert b"signed checkpoint" in page.content
    assert b"match" in page.content
