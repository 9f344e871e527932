from __future__ import annotations

from typing import Any

from django import template

from chainproof.auditlog import words

register = template.Library()


@register.filter
def event_sentence(event: Any) -> str:
    return words.event_sentence(event)


@register.filter
def action_sentence(action: str) -> str:
    return words.action_sentence(action)


@register.filter
def type_words(object_type: str) -> str:
    return words.type_words(object_type)


@register.filter
def state_words(state: Any) -> list[words.Shown]:
    return words.state_words(state)


@register.filter
def object_words(event: Any) -> str:
    return words.object_words(event)
