"""Downloads: a campaign's workbooks as one ZIP, and its roll-up as an XLSX report."""

from __future__ import annotations

import io
import re
import zipfile

from chainproof.domain.questionnaire.answers import display
from chainproof.fileformats.cells import xlsx_row
from chainproof.questionnaires.answering import workbook_for
from chainproof.questionnaires.models import Campaign
from chainproof.questionnaires.selectors import rollup
from chainproof.questionnaires.versions import definition

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_file_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text, flags=re.ASCII).strip("_")[:80] or "supplier"


def workbooks_zip(campaign: Campaign) -> bytes:
    """One pre-filled workbook per supplier of the campaign."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for qr in campaign.requests.select_related("supplier", "campaign__questionnaire"):
            name = f"{qr.reference}_{safe_file_name(qr.supplier.ref or qr.supplier.legal_name)}"
            archive.writestr(f"{name}.xlsx", workbook_for(qr))
    return out.getvalue()


def rollup_xlsx(campaign: Campaign) -> bytes:
    """The roll-up as a workbook: summary, answers per question, red flags, every response."""
    from openpyxl import Workbook

    data = rollup(campaign)
    questionnaire, _ = definition(campaign.questionnaire)
    book = Workbook(write_only=True)
    summary = book.create_sheet("Summary")
    summary.append(xlsx_row(summary, ["Campaign", campaign.name]))
    summary.append(xlsx_row(summary, ["Questionnaire", campaign.questionnaire.key]))
    summary.append(xlsx_row(summary, ["Due", campaign.due_date]))
    summary.append(xlsx_row(summary, ["Suppliers asked", data["requests"]]))
    summary.append(xlsx_row(summary, ["Responses (submitted or accepted)", data["responses"]]))
    summary.append(xlsx_row(summary, ["Response rate %", data["rate"]]))
    for status, count in sorted(data["by_status"].items()):
        summary.append(xlsx_row(summary, [f"Status: {status}", count]))
    summary.append(xlsx_row(summary, []))
    summary.append(xlsx_row(summary, ["Date", "Responses so far", "Response rate %"]))
    for day, done, rate in data["timeline"]:
        summary.append(xlsx_row(summary, [day, done, rate]))

    distribution = book.create_sheet("Answers")
    distribution.append(xlsx_row(distribution, ["No.", "Question", "Answer", "Suppliers"]))
    for item in data["distribution"]:
        question = item["question"]
        for label, count in item["counts"]:
            distribution.append(
                xlsx_row(distribution, [question.number, question.text, label, count])
            )

    flags = book.create_sheet("Red flags")
    flags.append(
        xlsx_row(flags, ["Supplier", "Country", "Status", "Red flags", "Answers behind them"])
    )
    for item in data["flagged"]:
        flags.append(
            xlsx_row(
                flags,
                [
                    item["supplier"].legal_name,
                    item["supplier"].country,
                    item["request"].display_status,
                    "; ".join(item["flags"]),
                    " | ".join(item["details"]),
                ],
            )
        )

    responses = book.create_sheet("Responses")
    questions = [q for q in questionnaire.ordered() if q.type != "table"]
    responses.append(
        xlsx_row(
            responses,
            ["Request", "Supplier", "Status", *[f"{q.number} {q.text}"[:250] for q in questions]],
        )
    )
    for qr in campaign.requests.select_related("supplier", "campaign"):
        answers = qr.answers if qr.status in ("submitted", "accepted") else {}
        responses.append(
            xlsx_row(
                responses,
                [
                    qr.reference,
                    qr.supplier.legal_name,
                    qr.display_status,
                    *[display(q, answers.get(q.id)) for q in questions],
                ],
            )
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
