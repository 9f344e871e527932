"""What goes into a case's evidence package, gathered from the record: the exhibits in
their numbered order (translations beside their originals), the supply-chain tracing of
every product on the detained lines, the due-diligence program, the coverage of the DHS
and CBP evidence categories with the gaps named, and the executive summary (drafted from
the data unless the analyst wrote their own).

Read-only: the package builder (``packages.py``) renders and stores it; the case page shows
the same gaps before anything is built.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from chainproof.cases.deadlines import case_deadlines
from chainproof.cases.models import DetentionCase, Exhibit
from chainproof.cases.selectors import last_full_screening
from chainproof.cases.templatetags.cases import LIST_LABELS
from chainproof.diligence.models import Audit, CareAnswer, CareAssessment, ProgramRecord
from chainproof.diligence.program import care_states
from chainproof.domain.cases.ports import port_get
from chainproof.domain.evidence import reasonable_care
from chainproof.domain.evidence.categories import CATEGORIES, RECORD_TYPE_LABELS
from chainproof.domain.nodes import NodeKey, NodeKind
from chainproof.evidence.models import DocumentLink, DocumentVersion
from chainproof.screening.models import ScreeningHit
from chainproof.suppliers.models import Facility, Material, Product, Supplier
from chainproof.suppliers.selectors import ProductMap, product_chain, product_map


@dataclass
class ExhibitEntry:
    number: str
    exhibit: Exhibit
    version: DocumentVersion | None
    path: str  # inside the ZIP
    categories: list[str]
    original_number: str = ""  # for a translation placed beside its original

    @property
    def document(self) -> Any:
        return self.exhibit.document

    @property
    def record_type(self) -> str:
        code = str(self.document.record_type)
        return RECORD_TYPE_LABELS.get(code, code)


@dataclass
class Step:
    number: int
    tier: int
    source: str
    source_country: str
    target: str
    item: str
    link_id: int
    proof: list[str]  # exhibit numbers
    flags: list[str]


@dataclass
class Tracing:
    product: Product
    map: ProductMap
    steps: list[Step]
    gaps: list[str]


@dataclass
class Coverage:
    code: str
    label: str
    group: str
    exhibits: list[str]


@dataclass
class PackageContent:
    case: DetentionCase
    exhibits: list[ExhibitEntry]
    excluded: list[Exhibit]
    tracings: list[Tracing]
    program: dict[str, list[dict[str, Any]]]
    audits: list[dict[str, Any]]
    care: dict[str, Any] | None
    coverage: list[Coverage]
    screening: list[dict[str, Any]]
    summary: str
    summary_is_draft: bool
    screened: Any  # the last full screening's audit event, or None
    deadlines: list[Any]
    lines: list[Any]
    port: Any
    prepared_at: Any
    gaps: list[str] = field(default_factory=list)

    @property
    def covered(self) -> list[Coverage]:
        return [c for c in self.coverage if c.exhibits]

    @property
    def uncovered(self) -> list[Coverage]:
        return [c for c in self.coverage if not c.exhibits]


def _slug(text: str) -> str:
    ascii_only = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return ascii_only[:40] or "document"


def _current_version(document: Any) -> DocumentVersion | None:
    versions = [v for v in document.versions.all() if v.purged_at is None]
    return max(versions, key=lambda v: v.number, default=None)


def exhibit_entries(case: DetentionCase) -> tuple[list[ExhibitEntry], list[Exhibit]]:
    """The included exhibits numbered 1, 2, ... in the analyst's order; a translation whose
    original is included is numbered after it (3A, 3B) and placed beside it."""
    # Versions with their blobs in one join: prefetching the blobs separately builds one
    # OR per blob, which SQLite refuses past about a thousand exhibits.
    chosen = list(
        case.exhibits.select_related("document")
        .prefetch_related(
            Prefetch("document__versions", queryset=DocumentVersion.objects.select_related("blob")),
            "document__categories",
        )
        .order_by("position", "pk")
    )
    included = [e for e in chosen if e.included]
    excluded = [e for e in chosen if not e.included]
    by_document = {e.document_id: e for e in included}
    translations: dict[int, list[Exhibit]] = defaultdict(list)
    originals = []
    for e in included:
        source = e.document.translation_of_id
        if source is not None and source in by_document:
            translations[source].append(e)
        else:
            originals.append(e)
    entries: list[ExhibitEntry] = []
    for index, e in enumerate(originals, start=1):
        entries.append(_entry(str(index), e))
        for offset, t in enumerate(translations.get(e.document_id, [])):
            entries.append(_entry(f"{index}{chr(ord('A') + offset)}", t, original=str(index)))
    return entries, excluded


def _entry(number: str, exhibit: Exhibit, *, original: str = "") -> ExhibitEntry:
    version = _current_version(exhibit.document)
    extension = (version.extension if version else "").lstrip(".") or "bin"
    padded = number.zfill(3) if number.isdigit() else number[:-1].zfill(3) + number[-1]
    return ExhibitEntry(
        number=number,
        exhibit=exhibit,
        version=version,
        path=f"exhibits/{padded}-{_slug(exhibit.document.title)}.{extension}",
        categories=[c.code for c in exhibit.document.categories.all()],
        original_number=original,
    )


def _node_names(keys: set[NodeKey]) -> dict[NodeKey, tuple[str, str, list[str]]]:
    names: dict[NodeKey, tuple[str, str, list[str]]] = {}
    facility_ids = [k.id for k in keys if k.kind is NodeKind.FACILITY]
    supplier_ids = [k.id for k in keys if k.kind is NodeKind.SUPPLIER]
    for f in Facility.objects.filter(pk__in=facility_ids).select_related("supplier"):
        flags = []
        if f.in_xinjiang:
            flags.append("in Xinjiang")
        if f.dprk_workers == "present":
            flags.append("North Korean workers reported")
        label = f.name + (f" ({f.native_name})" if f.native_name else "")
        if f.supplier:
            label += f", operated by {f.supplier.legal_name}"
        names[NodeKey.facility(f.pk)] = (label, f.country, flags)
    for s in Supplier.objects.filter(pk__in=supplier_ids):
        label = s.legal_name + (f" ({s.native_name})" if s.native_name else "")
        names[NodeKey.supplier(s.pk)] = (label + ", worksite not known", s.country, [])
    return names


def _proof_index(
    organization_id: int, entries: list[ExhibitEntry]
) -> dict[tuple[str, int], list[str]]:
    """(target type, id) -> numbers of the included exhibits linked to that record."""
    numbers = {e.document.pk: e.number for e in entries}
    found: dict[tuple[str, int], list[str]] = defaultdict(list)
    for document_id, kind, target in DocumentLink.objects.filter(
        organization_id=organization_id, document_id__in=numbers
    ).values_list("document_id", "target_type", "target_id"):
        found[(kind, target)].append(numbers[document_id])
    return found


_TARGET = {NodeKind.FACILITY: "facility", NodeKind.SUPPLIER: "supplier"}


def _tracing(product: Product, proof: dict[tuple[str, int], list[str]]) -> Tracing:
    chain = product_chain(product)
    keys = set(chain.depth) | {e.source for e in chain.edges}
    names = _node_names(keys)
    materials = dict(
        Material.objects.filter(organization_id=product.organization_id).values_list("pk", "name")
    )
    products = dict(
        Product.objects.filter(organization_id=product.organization_id).values_list("pk", "name")
    )
    steps: list[Step] = []
    ordered = sorted(chain.edges, key=lambda e: (-chain.depth.get(e.source, 0), e.source.id, e.ref))
    for edge in ordered:
        if edge.source not in names:
            continue
        label, country, flags = names[edge.source]
        target = (
            f"the importer ({product.name})"
            if edge.target.kind is NodeKind.IMPORTER
            else names.get(edge.target, (str(edge.target), "", []))[0]
        )
        item_names = materials if edge.item.kind is NodeKind.MATERIAL else products
        exhibits = list(
            dict.fromkeys(
                proof.get(("link", edge.ref), [])
                + proof.get((_TARGET[edge.source.kind], edge.source.id), [])
            )
        )
        steps.append(
            Step(
                number=len(steps) + 1,
                tier=chain.depth.get(edge.source, 0),
                source=label,
                source_country=country,
                target=target,
                item=item_names.get(edge.item.id, "") or product.name,
                link_id=edge.ref,
                proof=exhibits,
                flags=flags,
            )
        )
    drawn = product_map(product)
    return Tracing(product=product, map=drawn, steps=steps, gaps=list(drawn.gaps))


def _program(org: int, numbers: dict[int, str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    records = (
        ProgramRecord.objects.filter(organization_id=org, superseded_by__isnull=True)
        .prefetch_related("documents")
        .select_related("supplier")
    )
    for record in records:
        out[record.get_kind_display()].append(
            {
                "title": record.title,
                "supplier": record.supplier.legal_name if record.supplier else "",
                "values": record.values,
                "exhibits": [numbers[d.pk] for d in record.documents.all() if d.pk in numbers],
            }
        )
    return dict(out)


def _audits(org: int, supplier_ids: set[int], numbers: dict[int, str]) -> list[dict[str, Any]]:
    rows = []
    for audit in (
        Audit.objects.filter(organization_id=org, supplier_id__in=supplier_ids)
        .select_related("supplier")
        .prefetch_related("findings__actions")
    ):
        findings = list(audit.findings.all())
        actions = [a for f in findings for a in f.actions.all()]
        rows.append(
            {
                "audit": audit,
                "findings": findings,
                "open_actions": sum(a.status in ("open", "in_progress") for a in actions),
                "verified_actions": sum(a.status == "verified" for a in actions),
                "actions": len(actions),
                "report": numbers.get(audit.report_id or 0, ""),
            }
        )
    return rows


def _care(org: int, numbers: dict[int, str]) -> dict[str, Any] | None:
    assessment = CareAssessment.objects.filter(organization_id=org).first()
    if assessment is None:
        return None
    states = care_states(assessment)
    answers = {
        a.question: a
        for a in CareAnswer.objects.filter(assessment=assessment).prefetch_related("documents")
    }
    rows = []
    for question in reasonable_care.QUESTIONS:
        answer = answers.get(question.code)
        rows.append(
            {
                "question": question.text,
                "answer": reasonable_care.ANSWER_LABELS.get(
                    answer.answer if answer else "", "Not answered"
                ),
                "narrative": answer.narrative if answer else "",
                "exhibits": [numbers[d.pk] for d in answer.documents.all() if d.pk in numbers]
                if answer
                else [],
            }
        )
    return {
        "assessment": assessment,
        "score": reasonable_care.score(states),
        "rows": rows,
        "gaps": [g.text for g in reasonable_care.gaps(states, today=timezone.localdate())],
    }


def _screening(org: int, keys: set[NodeKey]) -> list[dict[str, Any]]:
    facility_ids = [k.id for k in keys if k.kind is NodeKind.FACILITY]
    supplier_ids = [k.id for k in keys if k.kind is NodeKind.SUPPLIER]
    hits = ScreeningHit.objects.filter(organization_id=org).filter(
        node_type="facility", node_id__in=facility_ids
    ) | ScreeningHit.objects.filter(
        organization_id=org, node_type="supplier", node_id__in=supplier_ids
    )
    return [
        {
            "name": h.node_name,
            "list": LIST_LABELS.get(h.list_code, h.list_code),
            "entry": h.entry_name,
            "score": float(h.score),
            "status": h.get_status_display(),
        }
        for h in hits.order_by("-score")[:100]
    ]


def draft_summary(
    case: DetentionCase,
    tracings: list[Tracing],
    entries: list[ExhibitEntry],
    coverage: list[Coverage],
    screening: list[dict[str, Any]],
    screened: Any = None,
) -> str:
    """The story CBP asks for, from the data: what, how, by whom, where; the analyst
    completes why the presumption is rebutted."""
    shipment = case.shipment
    port = port_get(case.port_code or shipment.port_code)
    lines = list(case.lines.select_related("product", "facility"))
    goods = (
        "; ".join(
            f"{line.description or line.product}"
            + (f" (HTS {line.hts_code})" if line.hts_code else "")
            + (
                f", {line.quantity.normalize():f} {line.unit}".rstrip()
                if line.quantity is not None
                else ""
            )
            for line in lines
        )
        or "the goods on the entry"
    )
    makers = sorted(
        {f"{line.facility.name} ({line.facility.country})" for line in lines if line.facility}
    )
    notice = timezone.localtime(case.notice_at).date()
    parts = [
        f"On {notice:%d %B %Y} U.S. Customs and Border Protection detained "
        f"{shipment}"
        + (f" at {port.name}" if port else "")
        + f" under the {case.get_basis_display()}"
        + (f" (CBP reference {case.cbp_reference})" if case.cbp_reference else "")
        + ".",
        f"The goods: {goods}.",
    ]
    if makers:
        parts.append("They were made by " + ", ".join(makers) + ".")
    for t in tracings:
        tiers = max((s.tier for s in t.steps), default=0)
        flagged = [s for s in t.steps if s.flags]
        proved = sum(1 for s in t.steps if s.proof)
        parts.append(
            f"The supply chain of {t.product.name} is traced through {tiers} "
            + ("tier" if tiers == 1 else "tiers")
            + " in "
            f"{len(t.steps)} numbered steps, {proved} of them with a record in the exhibits"
            + (f"; {len(t.gaps)} input(s) of unknown origin remain" if t.gaps else "")
            + (
                f"; {len(flagged)} step(s) carry a risk flag"
                if flagged
                else "; no worksite in it is recorded as in Xinjiang or as employing North "
                "Korean workers"
            )
            + "."
        )
    open_hits = [h for h in screening if h["status"] in ("Open", "Confirmed")]
    if screened is None:
        parts.append(
            "The names in the chain have not yet been screened against the UFLPA Entity "
            "List, OFAC's North Korea designations and CBP's Withhold Release Orders."
        )
    else:
        when = timezone.localtime(screened.created_at)
        parts.append(
            f"Every name was last screened on {when:%d %B %Y} against the UFLPA Entity List, "
            "OFAC's North Korea designations and CBP's Withhold Release Orders: "
            + (
                f"{len(open_hits)} match(es) in the chain are open or confirmed and are "
                "addressed below."
                if open_hits
                else "no match in the chain is open or confirmed."
            )
        )
    covered = [c for c in coverage if c.exhibits]
    attached = "1 exhibit is" if len(entries) == 1 else f"{len(entries)} exhibits are"
    parts.append(
        f"{attached} attached, covering {len(covered)} of the {len(coverage)} "
        "evidence categories of the DHS FAQs and CBP's UFLPA guidance; the coverage statement "
        "names the categories without evidence."
    )
    parts.append(
        "Why the presumption is rebutted: [to be completed by the importer before filing]."
    )
    return "\n\n".join(parts)


def package_content(case: DetentionCase) -> PackageContent:
    org = case.organization_id
    entries, excluded = exhibit_entries(case)
    numbers = {e.document.pk: e.number for e in entries if not e.original_number}
    numbers.update({e.document.pk: e.number for e in entries if e.original_number})
    proof = _proof_index(org, entries)
    products = {
        line.product_id: line.product
        for line in case.lines.select_related("product")
        if line.product is not None
    }
    tracings = [_tracing(p, proof) for p in products.values()]
    keys: set[NodeKey] = set()
    for t in tracings:
        keys |= {n.node for n in t.map.nodes}
    for line in case.lines.all():
        if line.facility_id:
            keys.add(NodeKey.facility(line.facility_id))
    supplier_ids = {k.id for k in keys if k.kind is NodeKind.SUPPLIER}
    supplier_ids |= set(
        Facility.objects.filter(pk__in=[k.id for k in keys if k.kind is NodeKind.FACILITY])
        .exclude(supplier__isnull=True)
        .values_list("supplier_id", flat=True)
    )
    category_exhibits: dict[str, list[str]] = defaultdict(list)
    for e in entries:
        for code in e.categories:
            category_exhibits[code].append(e.number)
    coverage = [
        Coverage(c.code, c.label, c.group, category_exhibits.get(c.code, [])) for c in CATEGORIES
    ]
    screening = _screening(org, keys)
    screened = last_full_screening(org)
    summary_is_draft = not case.summary
    content = PackageContent(
        case=case,
        exhibits=entries,
        excluded=excluded,
        tracings=tracings,
        program=_program(org, numbers),
        audits=_audits(org, supplier_ids, numbers),
        care=_care(org, numbers),
        coverage=coverage,
        screening=screening,
        summary="",
        summary_is_draft=summary_is_draft,
        screened=screened,
        deadlines=case_deadlines(case),
        lines=list(case.lines.select_related("product", "facility").order_by("number")),
        port=port_get(case.port_code or case.shipment.port_code),
        prepared_at=timezone.localtime(),
    )
    content.summary = case.summary or draft_summary(
        case, tracings, entries, coverage, screening, screened
    )
    content.gaps = package_gaps(content)
    return content


def package_gaps(content: PackageContent) -> list[str]:
    """What the package cannot yet show, in words, for the case page and the PDF."""
    gaps = []
    if not content.exhibits:
        gaps.append("No exhibit is included yet.")
    for c in content.uncovered:
        gaps.append(f"No exhibit is evidence of: {c.label}.")
    for t in content.tracings:
        unproved = [s for s in t.steps if not s.proof]
        if unproved:
            gaps.append(
                f"{t.product.name}: {len(unproved)} of {len(t.steps)} tracing steps have no "
                "record among the exhibits."
            )
        for g in t.gaps:
            gaps.append(f"{t.product.name}: {g}.")
    if not content.tracings:
        gaps.append("No detained line names one of your products, so no chain can be traced.")
    redacted = [e for e in content.exhibits if e.exhibit.redacted]
    if redacted:
        gaps.append(
            f"{len(redacted)} exhibit(s) are redacted; CBP may ask for the unredacted documents."
        )
    if content.summary_is_draft:
        gaps.append("The executive summary is still the draft drawn from the data.")
    if content.screened is None:
        gaps.append("The names in the chain have never been screened against the lists.")
    return gaps
