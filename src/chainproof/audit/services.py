"""Writing audit events. Call inside the transaction that makes the change."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from json.encoder import encode_basestring as json_encode_basestring
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from chainproof.audit.context import current_request_id
from chainproof.audit.models import (
    AuditChainHead,
    AuditEvent,
    created_at_text,
    hash_payload_template,
)
from chainproof.bulk import JsonText, insert_streamed
from chainproof.domain.hashing import GENESIS_HASH, canonical_text, chain_hash, chain_hash_text

GLOBAL_CHAIN = "global"


class AuditOutsideTransaction(RuntimeError):
    """An audit event must commit or roll back together with the change it records."""


def audit_key() -> bytes:
    """The key of the chain's HMAC (kept outside the database; see settings.AUDIT_KEY)."""
    return str(settings.AUDIT_KEY).encode("utf-8")


def chain_for(organization_id: int | None) -> str:
    return GLOBAL_CHAIN if organization_id is None else f"org:{organization_id}"


def to_json(value: Any) -> Any:
    """Reduce a value to plain JSON so what is hashed is exactly what is stored, and
    what either database gives back (``_as_stored`` for the numbers jsonb rewrites)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder), parse_float=_as_stored)


def _as_stored(text: str) -> float | int:
    """A float as PostgreSQL's jsonb gives it back, which SQLite keeps as written: jsonb
    stores a number as a decimal, so -0.0 comes back 0.0 and a float written with an
    exponent of 16 or more (1e+16, -2.5e+20: always whole) comes back a whole number.
    Hashing the value jsonb would return keeps ``audit verify`` agreeing on both
    databases. Other floats come back as written (1e-07 is read back as 1e-07); an
    infinite or NaN value is refused by the canonical encoding."""
    value = float(text)
    if value == 0:
        return 0.0
    if "e" in text.casefold() and abs(value) >= 1:
        return int(Decimal(text))
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> Any:
    """The concrete field values of a model instance, for before/after."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password", "key_hash"}:
            continue
        data[field.attname] = field.value_from_object(instance)
    return to_json(data)


def audit_record(
    *,
    action: str,
    actor: Any = None,
    organization: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one event to its organization's chain.

    Raises AuditOutsideTransaction when called outside ``transaction.atomic``: the
    event and the change it describes must land together or not at all.
    """
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransaction(f"audit event {action!r} written outside a transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    organization_id = getattr(organization, "pk", organization)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    chain = chain_for(organization_id)

    head = _locked_head(chain)
    event = AuditEvent(
        chain=chain,
        seq=head.seq + 1,
        organization_id=organization_id,
        actor=actor_obj,
        actor_label=actor_label or (actor_obj.get_username() if actor_obj else "system"),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=str(object_repr)[:300],
        before=to_json(before),
        after=to_json(after),
        created_at=timezone.now(),
        request_id=current_request_id()[:64],
        prev_hash=head.hash,
        keyed=True,
    )
    event.hash = chain_hash(event.prev_hash, event.hash_payload(), audit_key())
    event.save()
    head.seq = event.seq
    head.hash = event.hash
    head.save(update_fields=["seq", "hash"])
    return event


def audit_record_many(
    *,
    organization: Any,
    actor: Any,
    entries: Iterable[dict[str, Any]],
    plain_json: bool = False,
) -> int:
    """Append many events to one chain at once (bulk imports): one lock, one streamed
    insert (``entries`` may be a generator: they are read as they are written, while the
    insert runs, so reading them must not query the database).

    Each entry has action, object_type, object_id, object_repr and optionally before
    and after. Each event is hashed over ``hash_payload_of`` its values (what
    ``AuditEvent.hash_payload`` gives for the stored event), built without model
    instances, so the chain is exactly what ``audit_record`` would have written one by one.
    ``plain_json`` promises that before/after hold only JSON types already (str, int,
    bool, None, lists, dicts with str keys), which skips a normalising round trip.
    """
    remaining = iter(entries)
    first = next(remaining, None)
    if first is None:
        return 0
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransaction("audit events written outside a transaction")
    organization_id = getattr(organization, "pk", organization)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    common = {
        "chain": chain_for(organization_id),
        "organization_id": organization_id,
        "actor_id": actor_obj.pk if actor_obj else None,
        "actor_label": actor_obj.get_username() if actor_obj else "system",
        "created_at": timezone.now(),
        "request_id": current_request_id()[:64],
    }
    head = _locked_head(common["chain"])
    seq, prev = head.seq, head.hash
    key = audit_key()
    # Each event's hashed payload is hash_payload_of its values; its canonical text is put
    # together from the parts every event shares (encoded once) and its own.
    template = hash_payload_template(common, created_at_text(common["created_at"]))
    if template.slots != _EVENT_SLOTS:
        raise RuntimeError(f"audit events hash {template.slots}, written as {_EVENT_SLOTS}")
    shared = [common[name] for name in _SHARED_COLUMNS]
    # A batch's events share their few actions and object types: each encoded once.
    encoded: dict[str, str] = {}

    def events() -> Iterator[list[Any]]:
        nonlocal seq, prev  # the chain's end once every event is made
        for entry in itertools.chain([first], remaining):
            seq += 1
            before, after = entry.get("before"), entry.get("after")
            if not plain_json:
                before, after = to_json(before), to_json(after)
            action = entry["action"]
            object_type = entry.get("object_type", "")
            object_id = str(entry.get("object_id", ""))
            object_repr = str(entry.get("object_repr", ""))[:300]
            # before and after are stored as the text they are hashed by (no second encoding)
            before_text = _encode(before)
            after_text = _encode(after)
            action_text = encoded.get(action) or encoded.setdefault(action, _encode(action))
            type_text = encoded.get(object_type) or encoded.setdefault(
                object_type, _encode(object_type)
            )
            text = template.text(
                (
                    action_text,
                    after_text,
                    before_text,
                    _encode(object_id),
                    _encode(object_repr),
                    type_text,
                    str(seq),
                )
            )
            row = [
                *shared,
                seq,
                action,
                object_type,
                object_id,
                object_repr,
                None if before is None else JsonText(before_text),
                None if after is None else JsonText(after_text),
                prev,
            ]
            prev = chain_hash_text(prev, text, key)
            row += (True, prev)
            yield row

    # One statement for the whole trail: the database stores events while the next are
    # hashed (an import of a million records writes a million events).
    insert_streamed(AuditEvent, _COLUMNS, events())
    written = seq - head.seq
    head.seq, head.hash = seq, prev
    head.save(update_fields=["seq", "hash"])
    return written


# The columns audit_record_many writes, in order: what every event of the call shares,
# then its own values.
_SHARED_COLUMNS = (
    "chain",
    "organization_id",
    "actor_id",
    "actor_label",
    "created_at",
    "request_id",
)
_COLUMNS = (
    *_SHARED_COLUMNS,
    "seq",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "prev_hash",
    "keyed",
    "hash",
)
# An event's own hashed values, in the order of the hash's canonical text (sorted names).
_EVENT_SLOTS = ("action", "after", "before", "object_id", "object_repr", "object_type", "seq")


def _encode(value: Any) -> str:
    """``canonical_text`` of one value, text and whole numbers without its set-up."""
    kind = type(value)
    if kind is str:
        return str(json_encode_basestring(value))
    if kind is int:
        return str(value)
    if value is None:
        return "null"
    return canonical_text(value)


def audit_chain_lock(organization: Any) -> None:
    """Take the organization's chain lock now (it is held to the end of the transaction).

    A transaction that will update other rows and then audit should lock the chain first:
    every writer takes the chain before anything else it then locks, so two transactions
    never wait for each other in opposite orders."""
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransaction("the audit chain is locked only inside a transaction")
    _locked_head(chain_for(getattr(organization, "pk", organization)))


def _locked_head(chain: str) -> AuditChainHead:
    """The chain's head row, locked for this transaction (created on first use)."""
    head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            return AuditChainHead.objects.create(chain=chain, seq=0, hash=GENESIS_HASH)
    except IntegrityError:
        return AuditChainHead.objects.select_for_update().get(chain=chain)
