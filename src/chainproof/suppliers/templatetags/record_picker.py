"""``{% record_picker "supplier" "supplier" "a-supplier" required=True %}``: a menu of
the organization's suppliers, worksites or products for a page written as a plain
template, drawn like the form widget (``picking.picker_html``); ``supplier=`` keeps a menu
of worksites to that supplier's."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from chainproof.accounts.access import current_membership
from chainproof.suppliers.picking import PickKind, picker, picker_html

register = template.Library()


@register.simple_tag(takes_context=True)
def record_picker(
    context: Any,
    kind: str,
    name: str,
    id: str,
    *,
    selected: Any = "",
    required: bool = False,
    empty_label: str | None = None,
    supplier: int | None = None,
) -> SafeString:
    membership = current_membership(context["request"])
    menu = picker(
        membership.organization_id,
        PickKind(kind),
        name=name,
        id=id,
        selected=[selected],
        required=required,
        empty_label=empty_label,
        supplier=supplier,
    )
    return picker_html(menu)
