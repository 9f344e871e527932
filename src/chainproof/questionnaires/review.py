"""The compliance team's review of a response: comments, return for correction,
acceptance, and the worksite changes an accepted response can apply."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from chainproof.audit.services import audit_record
from chainproof.domain.nodes import NodeKey
from chainproof.jobs import recompute
from chainproof.questionnaires.emails import corrections_queue
from chainproof.questionnaires.models import QuestionnaireRequest, ReviewComment, Submission
from chainproof.questionnaires.versions import definition
from chainproof.suppliers.matching import facility_match
from chainproof.suppliers.services import facility_save


def comment_add(*, qr: QuestionnaireRequest, actor: Any, question: str, text: str) -> ReviewComment:
    questionnaire, _ = definition(qr.campaign.questionnaire)
    if question not in questionnaire.questions:
        raise ValidationError({"question": f"Unknown question {question!r}."})
    if not text.strip():
        raise ValidationError({"text": "A comment needs text."})
    comment = ReviewComment.objects.create(
        request=qr, question=question, text=text.strip()[:4000], author=actor
    )
    audit_record(
        action="questionnaire.comment_added",
        actor=actor,
        organization=qr.organization_id,
        obj=qr,
        after={"question": question, "text": comment.text},
    )
    return comment


def _decide(qr: QuestionnaireRequest, actor: Any, status: str, after: dict[str, Any]) -> None:
    """The reviewer's decision on a submitted response, audited."""
    qr.status = status
    qr.decided_at = timezone.now()
    qr.decided_by = actor
    qr.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(
        action=f"questionnaire.{status}",
        actor=actor,
        organization=qr.organization_id,
        obj=qr,
        after={"status": status, **after},
    )


def request_return(*, qr: QuestionnaireRequest, actor: Any) -> QuestionnaireRequest:
    """Send a submitted response back for correction (with at least one comment)."""
    if qr.status != QuestionnaireRequest.Status.SUBMITTED:
        raise ValidationError("Only a submitted response can be returned.")
    since = qr.submitted_at or qr.updated_at
    if not qr.comments.filter(created_at__gte=since).exists():
        raise ValidationError("Comment on the answers to correct before returning the response.")
    _decide(qr, actor, QuestionnaireRequest.Status.RETURNED, {})
    if qr.contact_email:
        corrections_queue(qr, actor=actor)
    return qr


def worksite_changes(qr: QuestionnaireRequest) -> list[dict[str, Any]]:
    """What accepting the response would change in the supplier's facilities: one entry per
    worksite row, matched to an existing site of the supplier by name and country."""
    rows = (qr.answers or {}).get("worksites") or []
    changes: list[dict[str, Any]] = []
    for row in rows:
        # Matched as the importer matches: the same key for every way in.
        facility = facility_match(
            qr.organization_id, qr.supplier_id, str(row.get("name", "")), row.get("country") or ""
        )
        proposed = {
            "name": row.get("name", ""),
            "country": row.get("country", ""),
            "address": row.get("address", ""),
            "products_made": row.get("products", ""),
            "total_workers": row.get("total_workers"),
            "migrant_workers": row.get("migrant_workers"),
            "dprk_workers": row.get("dprk_nationals") or "unknown",
        }
        if facility is None:
            changes.append({"action": "create", "facility": None, "values": proposed})
            continue
        differs = {
            k: v
            for k, v in proposed.items()
            if v not in (None, "") and getattr(facility, k, None) != v
        }
        changes.append(
            {"action": "update" if differs else "same", "facility": facility, "values": differs}
        )
    return changes


def request_accept(
    *, qr: QuestionnaireRequest, actor: Any, apply_worksites: bool = False
) -> QuestionnaireRequest:
    """Accept the response: its answers count for risk; with ``apply_worksites`` the
    worksite table updates the supplier's facilities (each change audited)."""
    if qr.status != QuestionnaireRequest.Status.SUBMITTED:
        raise ValidationError("Only a submitted response can be accepted.")
    submission = qr.submissions.order_by("-submitted_at", "-pk").first()
    if submission is None:
        raise ValidationError("Nothing was submitted.")
    if apply_worksites:
        for change in worksite_changes(qr):
            if change["action"] == "same":
                continue
            values = {k: v for k, v in change["values"].items() if v is not None}
            if change["facility"] is None:
                values["supplier"] = qr.supplier
            facility_save(
                organization=qr.organization_id,
                actor=actor,
                facility=change["facility"],
                data=values,
            )
    Submission.objects.filter(request=qr).update(accepted=False)
    submission.accepted = True
    submission.save(update_fields=["accepted"])
    _decide(
        qr,
        actor,
        QuestionnaireRequest.Status.ACCEPTED,
        {"submission": submission.pk, "worksites_applied": apply_worksites},
    )
    # Accepted answers are reported signals about the supplier.
    recompute.signals_changed(qr.organization_id, [NodeKey.supplier(qr.supplier_id)], actor=actor)
    return qr
