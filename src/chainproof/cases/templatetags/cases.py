from __future__ import annotations

from typing import Any

from django import template

from chainproof.domain.screening.entries import LIST_NAMES, list_name

register = template.Library()

PRINT_WIDTH = 640  # CSS pixels across the printed page


@register.inclusion_tag("cases/print/_chain_svg.html")
def chain_svg(chain_map: Any) -> dict[str, Any]:
    """The product's supply-chain map as a flow chart scaled to the page width."""
    width = chain_map.width or 1
    scale = min(1.0, PRINT_WIDTH / width)
    return {
        "map": chain_map,
        "width": int(width * scale),
        "height": int((chain_map.height or 1) * scale),
    }


@register.filter
def days_word(days: int) -> str:
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} ago"
    if days == 0:
        return "today"
    return f"in {days} day{'s' if days != 1 else ''}"


@register.filter
def css_string(value: object) -> Any:
    """Text for a CSS string in double quotes (page headers in a <style>): every character
    that could end the string or the style element written as a CSS escape, not as HTML."""
    from django.utils.safestring import mark_safe

    out = []
    for ch in " ".join(str(value).split()):
        if ch.isalnum() or ch in " .,-()·:/":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return mark_safe("".join(out))


@register.filter
def person(user: object) -> str:
    """A member as people know them: full name, else email, else user name."""
    if user is None:
        return ""
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or getattr(user, "email", "") or getattr(user, "username", ""))


@register.filter
def common_name(subject: str) -> str:
    """The CN of a certificate subject written as RFC 4514 ("O=Acme,CN=Acme packages")."""
    for part in str(subject).split(","):
        key, _, value = part.partition("=")
        if key.strip().upper() == "CN" and value.strip():
            return value.strip()
    return str(subject)


LIST_LABELS = LIST_NAMES  # one wording for every page and the evidence package


@register.filter
def list_label(code: str) -> str:
    """A screening list by its name."""
    return list_name(str(code))


@register.filter
def port_name(code: str) -> str:
    """A CBP port by its name and code ("Newark, NJ (4601)")."""
    from chainproof.domain.cases.ports import port_get

    port = port_get(str(code or "")) if code else None
    return f"{port.name}, {port.state} ({port.code})" if port else str(code or "")
