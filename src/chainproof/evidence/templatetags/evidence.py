from __future__ import annotations

from typing import Any

from django import template

from chainproof.accounts.roles import Role
from chainproof.evidence.selectors import documents_linked_to

register = template.Library()


@register.inclusion_tag("evidence/_record_documents.html", takes_context=True)
def evidence_for(context: template.Context, record: Any, target_type: str) -> dict[str, Any]:
    """The documents linked to a record, for a page that fetched it through the access
    helper; with the readiness check and an upload shortcut for analysts."""
    membership = context.get("membership")
    documents = documents_linked_to(record.organization_id, target_type, record.pk)
    return {
        "documents": documents[:50],
        "record": record,
        "target_type": target_type,
        "can_upload": membership is not None and membership.has_role(Role.ANALYST),
    }
