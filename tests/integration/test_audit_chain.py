import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from chainproof.accounts.services import organization_create
from chainproof.audit.models import AppendOnlyError, AuditEvent
from chainproof.audit.selectors import verify_organization_chain
from chainproof.audit.services import AuditOutsideTransaction, audit_record

pytestmark = pytest.mark.django_db


def _org_with_events(n=5):
    with transaction.atomic():
        org = organization_create(name="Chain Test Co")
        for i in range(n):
            audit_record(
                action="test.step",
                organization=org,
                object_type="test",
                object_id=i,
                after={"step": i, "name": "新疆 → 김정은"},
            )
    return org


def _events(org):
    return list(AuditEvent.objects.filter(organization=org).order_by("seq"))


def test_events_form_a_chain_per_organization():
    org = _org_with_events()
    events = _events(org)
    assert [e.seq for e in events] == list(range(1, 7))
    for earlier, later in itertools.pairwise(events):
        assert later.prev_hash == earlier.hash
    assert verify_organization_chain(org.pk).ok


def test_verify_passes_then_reports_the_tampered_row():
    org = _org_with_events()
    assert verify_organization_chain(org.pk).ok
    target = _events(org)[3]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", ["mallory", target.pk]
        )
    result = verify_organization_chain(org.pk)
    assert not result.ok
    assert result.first_break.ident == target.pk
    assert "content was changed" in result.first_break.reason


def test_verify_reports_a_row_deleted_in_sql():
    org = _org_with_events()
    target = _events(org)[2]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [target.pk])
    result = verify_organization_chain(org.pk)
    assert not result.ok
    assert "sequence gap" in result.first_break.reason


def test_verify_reports_events_cut_from_the_end():
    org = _org_with_events()
    last = _events(org)[-1]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    result = verify_organization_chain(org.pk)
    assert not result.ok
    assert "removed from the end" in result.first_break.reason


def test_audit_verify_command_exits_nonzero_on_a_broken_chain(capsys):
    org = _org_with_events()
    call_command("audit", "verify", "--organization", org.slug)
    assert "chain intact" in capsys.readouterr().out
    target = _events(org)[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET after = %s WHERE id = %s", ['{"step": 999}', target.pk]
        )
    with pytest.raises(CommandError, match=rf"BROKEN|event {target.pk}"):
        call_command("audit", "verify")


def test_events_cannot_be_changed_or_deleted_through_the_application():
    org = _org_with_events(1)
    event = _events(org)[0]
    event.actor_label = "someone else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused():
    with pytest.raises(AuditOutsideTransaction):
        audit_record(action="test.loose")


@pytest.mark.django_db(transaction=True)
def test_an_event_rolls_back_with_the_change_it_records():
    before = AuditEvent.objects.count()

    def failing_change():
        with transaction.atomic():
            organization_create(name="Doomed Co")
            raise RuntimeError("the change fails after its audit event was written")

    with pytest.raises(RuntimeError):
        failing_change()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (-0.0, 0.0),  # jsonb keeps no sign on zero
        ([1.5, -0.0, {"x": -0.0}], [1.5, 0.0, {"x": 0.0}]),
        (1e16, 10**16),  # jsonb writes a whole float of 17 digits as a whole number
        (-2.5e20, -(25 * 10**19)),
        (1.5e300, 15 * 10**299),
        (1e-7, 1e-7),
        (2**70, 2**70),  # a large whole number is kept exactly
        (123456789.125, 123456789.125),
    ],
)
def test_numbers_a_database_would_rewrite_are_hashed_as_stored(given, stored):
    """An event is hashed over what the database gives back, on SQLite and on PostgreSQL
    (jsonb stores -0.0 as 0 and 1e16 as 10000000000000000): verify then agrees."""
    with transaction.atomic():
        org = organization_create(name="Numbers Co")
        audit_record(
            action="test.numbers",
            organization=org,
            object_type="test",
            object_id=1,
            before={"value": given},
            after={"value": given},
        )
    event = AuditEvent.objects.get(organization=org, action="test.numbers")
    assert event.after == {"value": stored}
    assert repr(event.after["value"]) == repr(stored)  # -0.0 == 0.0: the sign compared too
    assert verify_organization_chain(org.pk).ok


def test_a_number_json_cannot_write_is_refused():
    org = organization_create(name="Infinite Co")
    with transaction.atomic(), pytest.raises(ValueError, match="not JSON compliant"):
        audit_record(action="test.numbers", organization=org, after={"value": 1e400})
    assert not AuditEvent.objects.filter(organization=org, action="test.numbers").exists()


def test_an_organization_or_user_with_events_cannot_be_deleted():
    """The events' keys are kept by the ORM, not the database: deleting what they name is
    still refused, and the events stay."""
    from django.db.models import ProtectedError

    from chainproof.accounts.services import user_create

    org = _org_with_events(2)
    with transaction.atomic():
        user = user_create(
            username="chain-actor", password="a long password 2026!", organization=org
        )
        audit_record(action="test.by_user", actor=user, organization=org, object_type="test")
    count = AuditEvent.objects.filter(organization=org).count()
    for named in (user, org):
        with pytest.raises(ProtectedError) as refused, transaction.atomic():
            named.delete()
        assert {type(o) for o in refused.value.protected_objects} == {AuditEvent}
    assert AuditEvent.objects.filter(organization=org).count() == count
    assert AuditEvent.objects.filter(actor=user).count() == 1
    assert verify_organization_chain(org.pk).ok


def test_log_choices_are_the_organizations_own_actions_and_kinds_sorted_once_each():
    from chainproof.audit.selectors import log_choices

    org = _org_with_events(3)
    other = _org_with_events(1)
    with transaction.atomic():
        for action, kind in (("b.second", "zeta"), ("a.first", "alpha"), ("b.second", "")):
            audit_record(action=action, organization=org, object_type=kind)
        audit_record(action="c.elsewhere", organization=other, object_type="omega")
    actions, kinds = log_choices(org.pk)
    stored = AuditEvent.objects.filter(organization=org)
    assert actions == sorted(set(stored.values_list("action", flat=True)))
    assert kinds == sorted(set(stored.values_list("object_type", flat=True)))
    assert {"a.first", "b.second", "test.step"} <= set(actions)
    assert "c.elsewhere" not in actions
    assert {"", "alpha", "zeta", "test"} <= set(kinds)
    assert "omega" not in kinds
    assert log_choices(other.pk + 1000) == ([], [])


def test_the_log_filtered_by_an_action_or_the_start_of_one_lists_them_newest_first():
    from chainproof.audit.selectors import audit_events_for

    org = _org_with_events(2)
    other = _org_with_events(1)
    with transaction.atomic():
        for action in ("membership.created", "membership.removed", "memberships.x", "x.y"):
            audit_record(action=action, organization=org, object_type="test")
        audit_record(action="membership.created", organization=other, object_type="test")

    def listed(text):
        return [e.action for e in audit_events_for(org.pk, action=text)]

    assert listed("membership.created") == ["membership.created"]
    assert listed("membership.") == ["membership.removed", "membership.created"]
    assert listed("membership") == ["memberships.x", "membership.removed", "membership.created"]
    assert listed("test.st") == ["test.step", "test.step"]
    assert listed("nothing.like.it") == []
