from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ names|get_item:code }}``: a dictionary lookup with a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
