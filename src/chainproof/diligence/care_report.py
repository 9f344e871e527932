"""The reasonable-care self-assessment as a PDF: each of CBP's questions with the answer,
narrative, owner, review date and the evidence documents named (title and SHA-256), then
the gaps, so the file stands on its own in front of an auditor or CBP."""

from __future__ import annotations

from django.utils import timezone

from chainproof.diligence.models import CareAnswer, CareAssessment
from chainproof.diligence.program import care_states
from chainproof.domain.evidence import reasonable_care
from chainproof.fileformats.pdf_report import Report, Section, report_pdf


def care_report_pdf(assessment: CareAssessment) -> bytes:
    answers = {
        a.question: a
        for a in CareAnswer.objects.filter(assessment=assessment).prefetch_related(
            "documents__versions__blob"
        )
    }
    states = care_states(assessment)
    today = timezone.localdate()
    organization = assessment.organization.name
    table: list[list[str]] = [["Question", "Answer", "Owner, review", "Evidence"]]
    for number, question in enumerate(reasonable_care.QUESTIONS, start=1):
        row = answers.get(question.code)
        evidence = []
        if row is not None:
            for document in row.documents.all():
                version = max(document.versions.all(), key=lambda v: v.number, default=None)
                digest = f" (SHA-256 {version.blob.sha256[:16]}…)" if version else ""
                evidence.append(f"#{document.pk} {document.title}{digest}")
        answer = reasonable_care.ANSWER_LABELS.get(row.answer if row else "", "Not answered")
        if row is not None and row.narrative:
            answer += f"\n{row.narrative}"
        owner = row.owner if row else ""
        if row is not None and row.review_on:
            owner += f"\nreview {row.review_on:%Y-%m-%d}"
        table.append([f"{number}. {question.text}", answer, owner, "\n".join(evidence)])
    gaps = reasonable_care.gaps(states, today=today)
    status = assessment.get_status_display()
    if assessment.completed_at:
        status += f" on {timezone.localtime(assessment.completed_at):%Y-%m-%d}"
    return report_pdf(
        Report(
            title=f"{assessment.title}: {organization}",
            facts=[
                ("Organization", organization),
                ("Status", status),
                (
                    "Score",
                    f"{reasonable_care.score(states)}% of the applicable questions "
                    "answered yes with evidence (partly counts half)",
                ),
                ("Checklist", reasonable_care.SOURCE),
                ("Printed", f"{timezone.localtime():%Y-%m-%d %H:%M %Z} by chainproof"),
            ],
            sections=[
                Section("Answers", table=table, widths=(0.42, 0.22, 0.14, 0.22)),
                Section(
                    f"Gaps ({len(gaps)})",
                    paragraphs=[g.text for g in gaps] or ["None."],
                ),
            ],
            footer=f"{organization}, {assessment.title}",
        )
    )
