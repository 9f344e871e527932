from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def field_value(values: Any, name: str) -> Any:
    """What a form had in a field, to show it again after an error (or a record's value)."""
    if not values:
        return ""
    return values.get(name, "")
