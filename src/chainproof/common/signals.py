"""The safety net under every write: text stored by any chainproof model is text a reader
sees (chainproof.domain.text), so no control character, NUL or invisible format character
reaches the database, an export or a screening run, whichever way the record came in.

Record specifications already clean the fields people write (and note what they removed
on the record); this catches everything else (comments, watchlist entries, campaign
names, questionnaire answers). The audit trail is left alone: it hashes exactly what it
stores, and writes only values that passed through here first.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from chainproof.domain.text import visible_text

SKIPPED_APPS = frozenset({"audit"})


def clean_json(value: Any) -> Any:
    """Strings inside JSON made visible (several lines allowed); the structure unchanged."""
    if isinstance(value, str):
        return visible_text(value, multiline=True) if not value.isprintable() else value
    if isinstance(value, list):
        return [clean_json(item) for item in value]
    if isinstance(value, dict):
        return {clean_json(key): clean_json(item) for key, item in value.items()}
    return value


def clean_field_value(field: models.Field[Any, Any], value: Any) -> Any:
    if isinstance(value, str) and not value.isprintable():
        multiline = isinstance(field, models.TextField)
        if value.isascii() and (multiline and set(value) <= _PRINTABLE_MULTILINE):
            return value
        return visible_text(value, multiline=multiline) if multiline else visible_text(value)
    if isinstance(field, models.JSONField) and value is not None:
        return clean_json(value)
    return value


_PRINTABLE_MULTILINE = {chr(c) for c in range(32, 127)} | {"\n", "\t"}


def clean_instance_text(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    if sender._meta.app_label in SKIPPED_APPS:
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField | models.JSONField):
            value = getattr(instance, field.attname)
            cleaned = clean_field_value(field, value)
            if cleaned is not value:
                setattr(instance, field.attname, cleaned)
