from __future__ import annotations

from typing import Any

from django import template

from chainproof.domain.countries import readable_name

register = template.Library()

RECORD_TYPES = {"facility": "worksite", "supplier": "supplier", "product": "product"}


@register.filter
def country_name(code: str) -> str:
    """A country by its name: "CN" -> "China"; an empty code stays empty."""
    code = str(code or "").strip().upper()
    return readable_name(code, "") if code else ""


@register.filter
def record_type(node_type: str) -> str:
    """A scored or screened record's kind in words: a facility is a "worksite"."""
    return RECORD_TYPES.get(str(node_type), str(node_type).replace("_", " "))


@register.filter
def action_words(action: str) -> str:
    """An audit action in words: "evidence.document_created" reads "Document created"."""
    words = str(action).rsplit(".", 1)[-1].replace("_", " ").strip()
    return words[:1].upper() + words[1:]


# Fields a person never set: kept in the audit trail, left out of a record's history.
_BOOKKEEPING = frozenset(
    {"id", "organization_id", "created_at", "updated_at", "normalized_name", "text_warning"}
)
_FIELD_WORDS = {"legal_name": "legal name", "native_name": "name in its own script"}


@register.filter
def changed_words(event: Any) -> str:
    """What an audited change changed, in words: the fields whose value differs, by name
    ("legal name, country"), without bookkeeping fields; nothing for a creation."""
    before, after = getattr(event, "before", None), getattr(event, "after", None)
    if not isinstance(after, dict) or not isinstance(before, dict) or not before:
        return ""
    names = [
        _FIELD_WORDS.get(key, key.removesuffix("_id").replace("_", " "))
        for key in after
        if key not in _BOOKKEEPING and before.get(key) != after.get(key)
    ]
    return ", ".join(names)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ names|get_item:code }}``: a dictionary lookup with a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
