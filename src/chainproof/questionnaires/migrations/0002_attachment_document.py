"""Questionnaire attachments become documents of the evidence locker.

Each attachment's bytes are already in the blob store under their SHA-256; this gives each
one a locker document (one version naming that content, "in review", of the record type
"questionnaire attachment") linked to the supplier and to the answer it came with, and the
DHS evidence categories its question declares. Text is read later by the worker (the
versions wait as "pending"). Running it twice changes nothing; reversing it removes the
documents it made, never the bytes.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from chainproof.domain.evidence.categories import dhs_category

NOTE = "Moved into the evidence locker from questionnaire {reference}."
_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/tiff": ".tif",
    "image/webp": ".webp",
    "text/plain": ".txt",
    "text/csv": ".csv",
}


def _question(document: object, question_id: str) -> dict | None:
    """The question of that id anywhere in a stored questionnaire definition."""
    pending = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if node.get("id") == question_id and "type" in node:
                return node
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return None


def _extension(attachment) -> str:
    suffix = attachment.file_name.rsplit(".", 1)[-1].lower() if "." in attachment.file_name else ""
    return f".{suffix}"[:10] if suffix else _EXTENSIONS.get(attachment.content_type, "")


def forwards(apps, schema_editor):
    Attachment = apps.get_model("questionnaires", "Attachment")
    Blob = apps.get_model("evidence", "Blob")
    Document = apps.get_model("evidence", "Document")
    DocumentCategory = apps.get_model("evidence", "DocumentCategory")
    DocumentVersion = apps.get_model("evidence", "DocumentVersion")
    DocumentLink = apps.get_model("evidence", "DocumentLink")
    waiting = Attachment.objects.filter(document__isnull=True).select_related(
        "request", "request__supplier", "request__campaign__questionnaire"
    )
    for attachment in waiting.order_by("pk").iterator(chunk_size=500):
        qr = attachment.request
        blob, _ = Blob.objects.get_or_create(
            sha256=attachment.sha256,
            defaults={
                "size": attachment.size,
                "content_type": attachment.content_type,
                "stored_at": attachment.uploaded_at,
                "backend": settings.STORAGE_BACKEND,
            },
        )
        asked = _question(qr.campaign.questionnaire.document, attachment.question) or {}
        what = asked.get("text") or "Returned questionnaire workbook"
        document = Document.objects.create(
            organization_id=attachment.organization_id,
            title=f"{what} ({qr.supplier.legal_name})"[:300],
            record_type="questionnaire_attachment",
            status="in_review",
            notes=NOTE.format(reference=f"REQ-{qr.pk}"),
            created_by_id=attachment.uploaded_by_id,
            created_at=attachment.uploaded_at,
            updated_at=attachment.uploaded_at,
        )
        DocumentVersion.objects.create(
            document=document,
            number=1,
            blob=blob,
            original_name=attachment.file_name,
            content_type=attachment.content_type,
            extension=_extension(attachment),
            size=attachment.size,
            uploaded_by_id=attachment.uploaded_by_id,
            uploaded_at=attachment.uploaded_at,
        )
        for number in sorted(set(asked.get("evidence") or [])):
            DocumentCategory.objects.create(document=document, code=dhs_category(int(number)))
        for target_type, target_id, question in (
            ("supplier", qr.supplier_id, ""),
            ("answer", qr.pk, attachment.question),
        ):
            DocumentLink.objects.create(
                organization_id=attachment.organization_id,
                document=document,
                target_type=target_type,
                target_id=target_id,
                question=question,
                created_by_id=attachment.uploaded_by_id,
                created_at=attachment.uploaded_at,
            )
        attachment.document = document
        attachment.save(update_fields=["document"])


def backwards(apps, schema_editor):
    Attachment = apps.get_model("questionnaires", "Attachment")
    Document = apps.get_model("evidence", "Document")
    made = list(
        Attachment.objects.filter(document__isnull=False).values_list("document_id", flat=True)
    )
    Attachment.objects.update(document=None)
    Document.objects.filter(
        pk__in=made, notes__startswith="Moved into the evidence locker"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_initial"),
        ("questionnaires", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="document",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="evidence.document",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
