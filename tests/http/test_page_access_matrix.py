"""Every page of the web app that names an object, walked by a signed-in admin of another
organization with the first organization's ids: each answers 404 to GET and to a POST that
carries a valid CSRF token, and no page shows the other organization's names. The URL
patterns are read from the URL configuration, so a new page is walked without being
listed; a pattern whose ids cannot be filled must be named below with the reason."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from tests.api_world import seed_world
from tests.csrf_client import CsrfClient, csrf_token_from

# Path parameters by the part of the site they are in, to the world's kinds of ids.
PARAMS = {
    "token_id": "token_id",
    "event_id": "event_id",
    "supplier_id": "supplier_id",
    "facility_id": "facility_id",
    "product_id": "product_id",
    "material_id": "material_id",
    "link_id": "link_id",
    "job_id": "job_id",
    "node_id": "supplier_id",
    "hit_id": "hit_id",
    "campaign_id": "campaign_id",
    "attachment_id": "attachment_id",
    "document_id": "document_id",
    "audit_id": "audit_id",
    "record_id": "record_id",
    "assessment_id": "assessment_id",
    "email_id": "email_id",
    "shipment_id": "shipment_id",
    "case_id": "case_id",
    "version": "package_version",
    "pending_id": "pending_update_id",
    "statement_id": "statement_id",
}
BY_PREFIX = {
    ("diligence/", "request_id"): "evidence_request_id",
    ("diligence/", "pk"): "supplier_id",
}
SLUGS = {
    "node_type": "supplier",
    "kind": "supplier",
    "section_id": "declaration",
    "fmt": "svg",
    "section": "training",
}
# Not objects of one organization: shared reference data, tokens in links, file templates.
SHARED = {
    "accounts/password/reset/<uidb64>/<token>/": "a password-reset link carries its own token",
    "reference/datasets/<int:dataset_id>/": "reference data is shared by every organization",
    "reference/countries/<str:iso2>/": "reference data is shared by every organization",
    "reference/<slug:slug>/": "reference data is shared by every organization",
    "reference/updates/check/<slug:kind>/": "checks a public list's official source",
    "suppliers/templates/<slug:entity>.<slug:fmt>": "blank import templates",
    "portal/invite/<str:token>/": "an invitation link carries its own token",
    "diligence/program/<slug:kind>/": "a list of the member's own records",
    "suppliers/lookup/<slug:kind>/": "a search of the member's own records",
    "cases/calendar/<str:token>.ics": "a calendar address carries its own secret",
}


def _routes() -> list[str]:
    found: list[str] = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not route.startswith("api/"):
                    walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "<" in route:
                found.append(route)

    walk(get_resolver().url_patterns, "")
    return found


def _fill(route: str, ids: dict[str, list[int]]) -> str | None:
    def one(match: re.Match) -> str:
        converter, name = match.group(1), match.group(2)
        if converter == "slug" and name in SLUGS:
            return SLUGS[name]
        if name == "number":
            return "1"
        key = next(
            (v for (p, n), v in BY_PREFIX.items() if route.startswith(p) and n == name), None
        )
        values = ids.get(key or PARAMS.get(name, name))
        if not values:
            raise LookupError(name)
        return str(values[0])

    try:
        return "/" + re.sub(r"<(\w+):(\w+)>", one, route)
    except LookupError:
        return None


@pytest.fixture
def world(alice, bob, refdata, settings, tmp_path):
    from chainproof.jobs.models import Job
    from chainproof.outbox.models import OutboundEmail
    from chainproof.outbox.services import email_queue
    from chainproof.questionnaires.answering import document_upload
    from chainproof.questionnaires.models import Attachment, QuestionnaireRequest
    from chainproof.reference.models import PendingUpdate
    from chainproof.statements.services import statement_create

    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    built = seed_world(alice, bob)
    for org, member in (("a", alice), ("b", bob)):
        qr = QuestionnaireRequest.objects.filter(organization=member.organization).first()
        qr.status = "sent"
        qr.save()
        with transaction.atomic():
            document_upload(
                qr=qr,
                actor=None,
                question="policy_document",
                data=b"Policy adopted 2026-01-10\n",
                file_name="policy.txt",
            )
            email_queue(
                organization=member.organization.pk,
                to="someone@example.com",
                subject="Hello",
                body="Hello",
                purpose="test",
            )
            Job.objects.create(organization=member.organization, kind="suppliers.tiers")
            statement = statement_create(
                organization=member.organization,
                actor=member.user,
                regime_code="uk_msa",
                period_start="2026-01-01",
                period_end="2026-12-31",
            )
        built.ids[org]["statement_id"] = [statement.pk]
        built.ids[org]["attachment_id"] = list(
            Attachment.objects.filter(organization=member.organization).values_list("pk", flat=True)
        )
        built.ids[org]["email_id"] = list(
            OutboundEmail.objects.filter(organization=member.organization).values_list(
                "pk", flat=True
            )
        )
        built.ids[org]["job_id"] = list(
            Job.objects.filter(organization=member.organization).values_list("pk", flat=True)
        )
        built.ids[org]["pending_update_id"] = [
            PendingUpdate.objects.create(
                kind="ilo_indicators",
                organization=member.organization,
                edition="probe",
                as_of="2026-01-01",
                source="probe",
                file_name="probe.csv",
                data=b"",
                sha256="0" * 64,
                row_count=0,
                diff={},
            ).pk
        ]
    return built


def test_every_page_of_another_organization_is_404_to_get_and_post(world, alice, bob):
    from chainproof.suppliers.models import Supplier

    names = list(
        Supplier.objects.filter(organization=alice.organization).values_list(
            "legal_name", flat=True
        )
    )
    intruder = CsrfClient()
    intruder.sign_in(bob)
    token = csrf_token_from(intruder.get("/"))
    walked = []
    for route in _routes():
        url = _fill(route, world.ids["a"])
        if url is None:
            assert route in SHARED, f"{route}: no ids to fill it with and no reason given"
            continue
        if route in SHARED:
            continue
        got = intruder.get(url)
        posted = intruder.post(url, {"csrfmiddlewaretoken": token, "action": "delete"})
        body = got.content.decode(errors="replace") if not got.streaming else ""
        # A page answers 404 to the methods it serves (405 to the one it does not).
        statuses = (got.status_code, posted.status_code)
        assert statuses in ((404, 404), (404, 405), (405, 404)), (url, statuses)
        assert not any(name in body for name in names), url
        walked.append(url)
    assert len(walked) >= 30
    print(f"pages walked with another organization's ids: {len(walked)} x GET and POST")  # noqa: T201
