"""Append-only, hash-chained audit events.

Each organization has its own chain (``org:<id>``); events not tied to an organization
(such as loading public reference data) go to the ``global`` chain. AuditChainHead
holds the latest link of each chain, is locked while an event is appended, and lets
verification notice events removed from the end of a chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import models

from chainproof.domain.hashing import CanonicalTemplate


class AppendOnlyError(RuntimeError):
    """Audit events are never changed or deleted by the application."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEvent(models.Model):
    chain = models.CharField(max_length=40)
    seq = models.PositiveBigIntegerField()
    # Looked up through the indexes below that start with it (no index of its own: one
    # fewer to keep up on each of the hundreds of thousands of events a large import adds).
    # Both keys are kept by the ORM (PROTECT: an organization or user with events cannot be
    # deleted), not checked by the database at commit: events are written only by
    # ``audit.services`` with keys it has just read, both are inside each event's hash, and
    # the database's two checks per event took 6 us of every record a large import wrote.
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        db_index=False,
        db_constraint=False,
    )
    # No index of its own either: only deleting a user looks events up by it (PROTECT),
    # and the log filters by the actor's name as written.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        db_index=False,
        db_constraint=False,
    )
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField()
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # HMAC under the audit key; False only for events written before the chain was keyed.
    keyed = models.BooleanField(default=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["chain", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_seq_unique")
        ]
        indexes = [
            models.Index(fields=["organization", "-seq"], name="audit_org_seq"),  # the log
            # The kinds of record an organization's log names (read by skipping from one
            # kind to the next: audit.selectors.log_choices), and its log filtered by a
            # kind, newest first.
            models.Index(fields=["organization", "object_type", "seq"], name="audit_org_type"),
            # A record's history.
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            # The actions an organization's log names (read the same way), its log filtered
            # by an action, newest first, and its last event of one action (the last
            # screening of every name). It took the place of (organization, -created_at),
            # which only that last read used (the log's dates are compared as each event's
            # date, which no index on the time serves): as many indexes are kept up on
            # each event written as before.
            models.Index(fields=["organization", "action", "seq"], name="audit_org_action"),
            # The password resets asked for lately, across organizations (at most a few a
            # day for each address). Only those events: an index of every event's action
            # cost each of the millions an import writes one more entry to keep up.
            models.Index(
                fields=["created_at"],
                name="audit_reset_requests",
                condition=models.Q(action="user.password_reset_requested"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id} by {self.actor_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed once written")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")

    def hash_payload(self) -> dict[str, Any]:
        """The content the chain hash covers, exactly as stored."""
        return hash_payload_of({name: getattr(self, name) for name in HASHED_FIELDS})


# What an event's chain hash covers (attribute names of AuditEvent).
HASHED_FIELDS = (
    "chain",
    "seq",
    "organization_id",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "created_at",
    "request_id",
)


def hash_payload_of(values: Mapping[str, Any], created_at: str | None = None) -> dict[str, Any]:
    """The hashed content of an event given as {attribute: value} (bulk writes build no
    instances): the same as ``AuditEvent.hash_payload``. ``created_at``: the time as
    ``created_at_text`` gives it, when the caller has it already."""
    payload = {name: values[name] for name in HASHED_FIELDS}
    payload["created_at"] = created_at or created_at_text(payload["created_at"])
    return payload


# What every event of one bulk write shares (audit_record_many).
SHARED_FIELDS = ("chain", "organization_id", "actor_id", "actor_label", "request_id")


def hash_payload_template(shared: Mapping[str, Any], created_at: str) -> CanonicalTemplate:
    """The canonical text of ``hash_payload_of`` for many events that share
    ``SHARED_FIELDS`` and the time (``created_at_text``): those parts encoded once, the
    others (``template.slots``) given per event."""
    fixed = {name: shared[name] for name in SHARED_FIELDS}
    fixed["created_at"] = created_at
    return CanonicalTemplate(HASHED_FIELDS, fixed)


def created_at_text(moment: Any) -> str:
    return str(moment.isoformat(timespec="microseconds"))


class AuditChainHead(models.Model):
    chain = models.CharField(max_length=40, unique=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.chain} at {self.seq}"
