from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def action_words(action: str) -> str:
    """An audit action in words: "evidence.document_created" reads "Document created"."""
    words = str(action).rsplit(".", 1)[-1].replace("_", " ").strip()
    return words[:1].upper() + words[1:]


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ names|get_item:code }}``: a dictionary lookup with a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
