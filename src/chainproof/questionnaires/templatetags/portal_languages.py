"""The portal's language picker: each language named in itself, as settings.LANGUAGES
writes it (not translated into the page's language)."""

from __future__ import annotations

from django import template

from chainproof.questionnaires import languages

register = template.Library()


@register.simple_tag
def portal_languages() -> list[tuple[str, str]]:
    return languages.names()
