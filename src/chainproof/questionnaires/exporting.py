"""Downloads: a campaign's workbooks as one ZIP, and its roll-up as an XLSX report."""

from __future__ import annotations

import io
import re
import zipfile

from chainproof.domain.questionnaire.answers import display
from chainproof.questionnaires.models import Campaign
from chainproof.questionnaires.selectors import rollup
from chainproof.questionnaires.services import definition, workbook_for
from chainproof.web.paging import _safe_cell


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
    summary.append(["Campaign", _safe_cell(campaign.name)])
    summary.append(["Questionnaire", campaign.questionnaire.key])
    summary.append(["Due", campaign.due_date])
    summary.append(["Suppliers asked", data["requests"]])
    summary.append(["Responses (submitted or accepted)", data["responses"]])
    summary.append(["Response rate %", data["rate"]])
    for status, count in sorted(data["by_status"].items()):
        summary.append([f"Status: {status}", count])
    summary.append([])
    summary.append(["Date", "Responses so far", "Response rate %"])
    for day, done, rate in data["timeline"]:
        summary.append([day, done, rate])

    distribution = book.create_sheet("Answers")
    distribution.append(["No.", "Question", "Answer", "Suppliers"])
    for item in data["distribution"]:
        question = item["question"]
        for label, count in item["counts"]:
            distribution.append([question.number, _safe_cell(question.text), label, count])

    flags = book.create_sheet("Red flags")
    flags.append(["Supplier", "Country", "Status", "Red flags", "Answers behind them"])
    for item in data["flagged"]:
        flags.append(
            [
                _safe_cell(item["supplier"].legal_name),
                item["supplier"].country,
                item["request"].display_status,
                "; ".join(item["flags"]),
                _safe_cell(" | ".join(item["details"])),
            ]
        )

    responses = book.create_sheet("Responses")
    questions = [q for q in questionnaire.ordered() if q.type != "table"]
    responses.append(
        ["Request", "Supplier", "Status", *[f"{q.number} {q.text}"[:250] for q in questions]]
    )
    for qr in campaign.requests.select_related("supplier", "campaign"):
        answers = qr.answers if qr.status in ("submitted", "accepted") else {}
        responses.append(
            [
                qr.reference,
                _safe_cell(qr.supplier.legal_name),
                qr.display_status,
                *[_safe_cell(display(q, answers.get(q.id))) for q in questions],
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
