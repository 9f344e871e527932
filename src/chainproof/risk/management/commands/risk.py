from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chainproof.accounts.commands import add_organization_argument, organization_from
from chainproof.common.commands import fail, iso_date, progress_bar
from chainproof.domain.nodes import NodeKey, NodeKind
from chainproof.domain.risk.engine import score_graph
from chainproof.domain.risk.labels import factor_label, ranked
from chainproof.risk.selectors import current_for
from chainproof.risk.services import (
    methodology_for,
    methodology_in_use,
    risk_rescore,
    risk_score_all,
)
from chainproof.risk.snapshot import build_snapshot, reference_facts
from chainproof.suppliers.models import Facility, Product, Supplier


class Command(BaseCommand):
    help = "Score risk: `risk score --all`, or one product or supplier; --as-of for the past."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{score}")
        score = sub.add_parser(
            "score",
            help="Compute and store risk assessments.",
            description="--all stores new assessments for every record. "
            "--product/--supplier re-score that record and everything "
            "downstream of it. --as-of reports what the scores were with "
            "the reference editions in force on that date (not stored).",
        )
        which = score.add_mutually_exclusive_group(required=True)
        which.add_argument(
            "--all", action="store_true", help="Every supplier, worksite and product."
        )
        which.add_argument("--product", metavar="SKU", help="One product, by its SKU.")
        which.add_argument(
            "--supplier", metavar="ID", type=int, help="One supplier, by its number."
        )
        score.add_argument(
            "--as-of",
            type=iso_date,
            metavar="DATE",
            help="Score with the reference data in force on this day (YYYY-MM-DD).",
        )
        add_organization_argument(score)

    def handle(self, *args: Any, **options: Any) -> None:
        org = organization_from(options["organization"])
        if options["as_of"]:
            self._as_of(org.pk, options["as_of"], options)
            return
        with progress_bar(self, "scoring") as progress:
            if options["all"]:
                result = risk_score_all(organization_id=org.pk, progress=progress)
                self.stdout.write(
                    f"{org.slug}: {result['nodes']} records scored with "
                    f"{result['methodology']} in {result['seconds']} s; "
                    f"{result['changed']} changed, {result['unchanged']} unchanged."
                )
                return
            node = self._node(org.pk, options)
            result = risk_rescore(organization_id=org.pk, changed={node}, progress=progress)
        current = current_for(org.pk, node.type_name, node.id)
        self.stdout.write(
            f"Re-scored {result.get('affected', result.get('nodes'))} record(s) "
            f"in {result['seconds']} s."
        )
        if current is not None:
            self._show(
                current.node_name,
                float(current.score),
                current.level,
                current.reasons,
                current.presumptions,
            )

    def _node(self, org_id: int, options: dict[str, Any]) -> NodeKey:
        if options["product"]:
            product = Product.objects.filter(organization_id=org_id, sku=options["product"]).first()
            if product is None:
                fail(f"--product: no product with SKU {options['product']!r}")
            return NodeKey.product(product.pk)
        supplier = Supplier.objects.filter(organization_id=org_id, pk=options["supplier"]).first()
        if supplier is None:
            fail(f"--supplier: no supplier with id {options['supplier']} in this organization")
        return NodeKey.supplier(supplier.pk)

    def _as_of(self, org_id: int, on: date, options: dict[str, Any]) -> None:
        methodology = methodology_for(methodology_in_use(org_id))
        ref = reference_facts(org_id, on)
        snap = build_snapshot(org_id, on)
        result = score_graph(
            snap.nodes, snap.edges, ref, methodology, presumption_for=snap.products
        )
        self.stdout.write(
            f"As of {on} (not stored), editions: "
            + "; ".join(f"{k}: {v}" for k, v in sorted(result.editions.items()))
        )
        wanted = None if options["all"] else self._node(org_id, options)
        for node, score in sorted(result.scores.items(), key=lambda x: (-x[1].score, x[0])):
            if wanted and node != wanted:
                continue
            if not wanted and node.kind is not NodeKind.PRODUCT:
                continue
            self._show(
                snap.nodes[node].name,
                score.score,
                score.level,
                [r.as_dict() for r in score.reasons],
                [p.as_dict() for p in result.presumptions.get(node, ())],
            )
        if not wanted:
            facilities = Facility.objects.filter(organization_id=org_id).count()
            self.stdout.write(
                f"({len(result.scores)} records scored; {facilities} facilities; products shown)"
            )

    def _show(
        self,
        name: str,
        score: float,
        level: str,
        reasons: list[dict[str, Any]],
        presumptions: list[dict[str, Any]],
    ) -> None:
        self.stdout.write(f"\n{name}: {score:g} ({level})")
        for reason in ranked(reasons):
            self.stdout.write(
                f"  {reason['points']:>5g}  {factor_label(reason['factor'])}: "
                f"{reason['evidence']}  [{reason['source']}]"
            )
        for check in presumptions:
            self.stdout.write(f"  {check['regime']}: {check['status']}")
