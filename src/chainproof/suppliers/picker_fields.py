"""Form fields that choose one of the organization's records through a picker
(``picking``): a menu of every record while there are few, a search beyond."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString

from chainproof.suppliers.picking import PickKind, chosen, picker, picker_html


class RecordSelect(forms.Widget):
    """A menu of one kind of record, drawn by ``picking.picker_html``. The form sets
    ``organization_id`` before it is drawn (``OrgForm.limit``)."""

    def __init__(
        self,
        kind: PickKind,
        *,
        empty_label: str | None = None,
        extra: Sequence[tuple[str, Sequence[tuple[str, str]]]] = (),
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.kind = kind
        self.empty_label = empty_label
        self.extra = extra
        self.organization_id: int | None = None

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        if self.organization_id is None:
            raise RuntimeError("RecordSelect drawn before its form set the organization")
        final = self.build_attrs(self.attrs, attrs)
        values = value if isinstance(value, (list, tuple)) else [value]
        menu = picker(
            self.organization_id,
            self.kind,
            name=name,
            id=str(final.pop("id", name)),
            selected=values,
            required=bool(final.pop("required", False)),
            empty_label=self.empty_label,
            extra=self.extra,
            attrs={k: v for k, v in final.items() if v not in (None, False)},
        )
        return picker_html(menu)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)

    def format_value(self, value: Any) -> Any:
        return value


class LinkEndField(forms.Field):
    """One end of a supply link in one control: a worksite (``f:12``), a supplier
    (``s:3``) or the end's own word (``unknown`` for an origin, ``importer`` for a
    destination). Cleans to the text; the record is checked to be the organization's."""

    def __init__(self, kind: PickKind, fixed: tuple[str, str], **kwargs: Any) -> None:
        self.kind = kind
        self.fixed = fixed
        self.organization_id: int | None = None
        words = "where the goods come from" if kind is PickKind.SOURCE else "where the goods go"
        kwargs.setdefault(
            "widget", RecordSelect(kind, empty_label=f"Choose {words}", extra=[("Other", [fixed])])
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = str(value or "").strip()
        if not text:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return ""
        if text == self.fixed[0]:
            return text
        if self.organization_id is None or not chosen(self.organization_id, self.kind, [text]):
            raise ValidationError(
                "The chosen worksite or supplier is not among yours (it may have been deleted "
                "since the page was drawn); choose again.",
                code="invalid_choice",
            )
        return text
