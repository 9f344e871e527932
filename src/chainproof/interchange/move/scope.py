"""What belongs to an organization, found from the models themselves.

A model is *owned* when it has a foreign key to Organization: its rows of that
organization move. A model is a *child* when it has no such key but a required foreign key
to an owned model or another child (document versions, product inputs, questionnaire
submissions): its rows move with their parent. So a model added later moves without being
listed here; what does not move is listed in ``NOT_MOVED`` with the reason, and a test
fails when an owned or child model is in neither.

Rows of other models that moved rows point at (stored files, questionnaire definitions,
the built-in risk methodologies) are *shared*: the file carries them and the import finds
them on the new instance by their natural key (``SHARED``), creating only what can be made
safely (a stored file's description, a questionnaire definition).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet

from chainproof.accounts.models import Organization

# What does not move, and why (the documentation lists the same).
NOT_MOVED: dict[str, str] = {
    "audit.auditevent": "carried in its own part, audit/events.jsonl, and re-chained on import",
    "accounts.apitoken": "API tokens are secrets of the old instance: make new ones",
    "cases.calendarfeed": "a calendar address is a secret link: subscribe again",
    "cases.signingcertificate": "the private key is sealed with the old instance's secret key "
    "and cannot be opened elsewhere: upload the certificate again",
    "jobs.job": "the old instance's queue of background work: the new one keeps its own",
    "outbox.outboundemail": "the old instance's mail queue: sending was its job, and a "
    "waiting message would go out twice",
    "reference.pendingupdate": "an update of a public list waiting for an administrator: "
    "check for updates again on the new instance",
}

# Values that are secrets (or hashes of them) are never written: the field's value on
# import instead. A supplier asks for a new questionnaire link; the old one stops working.
BLANKED: dict[str, dict[str, Any]] = {
    "questionnaires.questionnairerequest": {"token_hash": "", "token_expires_at": None},
}
SECRET_WORDS = ("token", "password", "secret", "key_hash", "private")


# References held as a (kind, id) pair of plain columns rather than a foreign key: the id is
# remapped on import like a foreign key, through the model each kind names. A test fails
# when a moved model has a ``*_type``/``*_id`` pair not listed here.
TYPED_REFERENCES: dict[str, tuple[str, str, dict[str, str]]] = {
    "risk.riskassessment": (
        "node_type",
        "node_id",
        {
            "supplier": "suppliers.supplier",
            "facility": "suppliers.facility",
            "product": "suppliers.product",
        },
    ),
    "screening.screeninghit": (
        "node_type",
        "node_id",
        {"supplier": "suppliers.supplier", "facility": "suppliers.facility"},
    ),
    "evidence.documentlink": (
        "target_type",
        "target_id",
        {
            "supplier": "suppliers.supplier",
            "facility": "suppliers.facility",
            "product": "suppliers.product",
            "material": "suppliers.material",
            "link": "suppliers.supplylink",
            "answer": "questionnaires.questionnairerequest",
        },
    ),
    "evidence.legalhold": (
        "target_type",
        "target_id",
        {"document": "evidence.document", "supplier": "suppliers.supplier"},
    ),
}


@dataclass(frozen=True)
class SharedKind:
    """How a shared row is found on the new instance, and whether it may be created."""

    key: tuple[str, ...]
    create: bool
    why_not: str = ""


SHARED: dict[str, SharedKind] = {
    "evidence.blob": SharedKind(("sha256",), create=True),
    "questionnaires.questionnaireversion": SharedKind(("key", "sha256"), create=True),
    "risk.methodologyversion": SharedKind(
        ("name", "version", "sha256"),
        create=False,
        why_not="a built-in risk methodology; install the same chainproof version or newer",
    ),
    "reference.dataset": SharedKind(
        ("kind", "edition", "sha256"),
        create=False,
        why_not="a public reference list; load the same edition (`chainproof refdata`)",
    ),
}


def label(model: Any) -> str:
    return str(model._meta.label_lower)


def model_named(name: str) -> type[models.Model]:
    return apps.get_model(name)


def _org_key(model: type[models.Model]) -> models.ForeignKey[Any, Any] | None:
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model is Organization:
            return field
    return None


@dataclass(frozen=True)
class Scoped:
    """One model that moves and how its rows of an organization are found."""

    model: type[models.Model]
    via: str  # the lookup from the row to the organization
    parent: str = ""  # a child's parent model (label), for the record

    @property
    def label(self) -> str:
        return label(self.model)

    def rows(self, organization_id: int) -> QuerySet[Any]:
        return self.model._default_manager.filter(**{self.via: organization_id}).order_by("pk")


def _candidates() -> list[type[models.Model]]:
    user = get_user_model()
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("chainproof.")
        and m is not Organization
        and m is not user
        and not m._meta.proxy
    ]


def scoped_models(*, with_not_moved: bool = False) -> list[Scoped]:
    """Every model whose rows belong to an organization, in an order where each child
    follows its parent; ``with_not_moved`` keeps the ones listed in NOT_MOVED."""
    found: dict[type[models.Model], Scoped] = {}
    for model in _candidates():
        key = _org_key(model)
        if key is not None:
            found[model] = Scoped(model, key.attname)
    changed = True
    while changed:
        changed = False
        for model in _candidates():
            if model in found:
                continue
            for field in model._meta.concrete_fields:
                parent = found.get(field.related_model) if field.is_relation else None  # type: ignore[arg-type]
                if parent is not None and not field.null and field.related_model is not model:
                    via = f"{field.name}__{parent.via}"
                    found[model] = Scoped(model, via, parent.label)
                    changed = True
                    break
    return [
        s
        for s in found.values()
        if with_not_moved or (s.label not in NOT_MOVED and s.parent not in NOT_MOVED)
    ]


def insert_order(scoped: list[Scoped]) -> list[Scoped]:
    """Models ordered so a required foreign key, and a (kind, id) reference, always points
    at a model already inserted (optional keys may point later: they are filled in after
    every row is in)."""
    by_model = {s.model: s for s in scoped}
    done: list[Scoped] = []
    placed: set[type[models.Model]] = set()
    remaining = sorted(scoped, key=lambda s: s.label)
    while remaining:
        for s in remaining:
            needs = {
                f.related_model
                for f in s.model._meta.concrete_fields
                if f.is_relation and not f.null and f.related_model in by_model
            } | {
                model_named(target)
                for target in TYPED_REFERENCES.get(s.label, ("", "", {}))[2].values()
            }
            needs = (needs & set(by_model)) - {s.model}
            if needs <= placed:
                done.append(s)
                placed.add(s.model)
                remaining.remove(s)
                break
        else:
            names = ", ".join(s.label for s in remaining)
            raise RuntimeError(f"required foreign keys form a cycle among: {names}")
    return done


def foreign_keys(model: type[models.Model]) -> Iterator[models.ForeignKey[Any, Any]]:
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey):
            yield field


def many_to_many(model: type[models.Model]) -> list[models.ManyToManyField[Any, Any]]:
    """The model's own many-to-many fields with a table Django made (the pairs move)."""
    return [
        f
        for f in model._meta.many_to_many
        if isinstance(f, models.ManyToManyField) and through_of(f)._meta.auto_created
    ]


def through_of(m2m: models.ManyToManyField[Any, Any]) -> type[models.Model]:
    """The table of a many-to-many field's pairs."""
    return cast("type[models.Model]", m2m.remote_field.through)


def moved_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The columns written for each row: every concrete field but the primary key."""
    return [f for f in model._meta.concrete_fields if not f.primary_key]
