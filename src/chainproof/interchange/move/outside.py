"""What the moved records lean on without owning: the people they name, and shared
records (stored files, questionnaire versions, built-in methodologies, public lists)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from chainproof.accounts.models import Organization
from chainproof.blobs.configured import blob_store
from chainproof.evidence.models import Blob
from chainproof.interchange.move.fileformat import MoveReader, decode
from chainproof.interchange.move.ids import IdMaps, ImportRefused, decoded
from chainproof.interchange.move.scope import SHARED, label, model_named, moved_fields
from chainproof.risk.services import bundled_methodologies_ensure

# Shared records chainproof ships: stored on this instance (once) before they are looked up.
BUNDLED: dict[str, Callable[[], object]] = {
    "risk.methodologyversion": bundled_methodologies_ensure,
}


def users_import(
    reader: MoveReader, org: Organization, maps: IdMaps, created: list[str], matched: list[str]
) -> None:
    """A person with the same email on this instance is the same person; anyone else gets
    a new account whose password nobody knows (its owner sets one through "Forgot your
    password?") and never staff rights, whatever the old instance gave."""
    user_model = get_user_model()
    mapping = maps.ids[label(user_model)]
    taken: set[int] = set()  # an account joins once, even if two old accounts share its email
    for line in reader.lines("users.jsonl"):
        values = line["fields"]
        email = str(values.get("email") or "").strip()
        same = list(user_model._default_manager.filter(email__iexact=email)[:2]) if email else []
        if len(same) == 1 and same[0].pk not in taken:
            taken.add(same[0].pk)
            mapping[line["pk"]] = same[0].pk
            matched.append(same[0].get_username())
            continue
        username = _free_username(str(values["username"]), org.slug)
        person = user_model(
            username=username,
            email=email,
            first_name=values.get("first_name", ""),
            last_name=values.get("last_name", ""),
            is_active=bool(values.get("is_active", True)),
            date_joined=decode(user_model._meta.get_field("date_joined"), values["date_joined"]),
        )
        # A random password nobody is told: the account cannot be signed into until its
        # owner sets one through "Forgot your password?" (Django's reset skips accounts
        # whose password is marked unusable, so it is not marked so).
        person.set_password(secrets.token_urlsafe(32))
        person.save()
        mapping[line["pk"]] = person.pk
        created.append(username)


def _free_username(wanted: str, slug: str) -> str:
    user_model = get_user_model()
    candidate, number = wanted, 1
    while user_model._default_manager.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{wanted}.{slug}" if number == 2 else f"{wanted}.{slug}{number}"
    return candidate


def shared_import(reader: MoveReader, maps: IdMaps) -> None:
    for name in sorted(reader.parts):
        if not name.startswith("shared/"):
            continue
        kind_label = name.removeprefix("shared/").removesuffix(".jsonl")
        kind = SHARED.get(kind_label)
        if kind is None:
            raise ImportRefused(f"{name}: this chainproof does not know such shared records")
        if kind_label in BUNDLED:
            BUNDLED[kind_label]()
        model = model_named(kind_label)
        fields = {f.attname: f for f in moved_fields(model) if not f.is_relation}
        has_org = any(f.name == "organization" for f in model._meta.concrete_fields)
        for number, line in enumerate(reader.lines(name), start=1):
            values = {a: decoded(fields, a, v, name, number) for a, v in line["fields"].items()}
            lookup = {k: values[k] for k in kind.key}
            if has_org:
                lookup["organization__isnull"] = True
            found = model._default_manager.filter(**lookup).first()
            if found is None and kind.create:
                found = _create_shared(model, values, name, number)
            if found is None:
                shown = ", ".join(f"{k} {values[k]}" for k in kind.key)
                raise ImportRefused(
                    f"{name}, line {number}: this instance has no {model._meta.verbose_name} "
                    f"with {shown}: {kind.why_not}"
                )
            maps.ids[kind_label][line["pk"]] = found.pk


def _create_shared(
    model: type[models.Model], values: dict[str, Any], name: str, number: int
) -> models.Model:
    for f in model._meta.concrete_fields:
        if (
            f.unique
            and not f.primary_key
            and f.attname in values
            and model._default_manager.filter(**{f.attname: values[f.attname]}).exists()
        ):
            raise ImportRefused(
                f"{name}, line {number}: this instance has a {model._meta.verbose_name} "
                f"{values[f.attname]} with other content"
            )
    if model is Blob:
        store = blob_store()
        present = store.exists(values["sha256"])
        values = {
            **values,
            "backend": store.name,
            "verified_at": None,
            "status": Blob.Status.UNVERIFIED if present else Blob.Status.MISSING,
        }
    return model._default_manager.create(**values)
