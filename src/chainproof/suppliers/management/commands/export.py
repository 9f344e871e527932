from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandParser

from chainproof.accounts.commands import OrganizationCommand
from chainproof.common.commands import fail
from chainproof.common.exports import export_response, export_text, write_export
from chainproof.domain.nodes import NodeKind, ids_of
from chainproof.suppliers import exporting
from chainproof.suppliers.importing import ENTITIES
from chainproof.suppliers.models import Facility, Product
from chainproof.suppliers.selectors import product_chain


class Command(OrganizationCommand):
    help = (
        "Export suppliers, facilities, materials, products or links (in the import layout), "
        "or the list of authorized production units, as CSV or XLSX."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "what",
            choices=[*ENTITIES, "production-units"],
            help="What to export: one kind of record, or production units (worksite by product).",
        )
        parser.add_argument(
            "--format", choices=["csv", "xlsx"], default="csv", help="File format (default csv)."
        )
        parser.add_argument(
            "--output", "-o", help="File to write (default: standard output for CSV)."
        )
        parser.add_argument(
            "--product",
            metavar="SKU",
            help="production-units: only the worksites in this product's chain.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        org = self.organization(options)
        what, fmt = options["what"], options["format"]
        if fmt == "xlsx" and not options["output"]:
            fail("XLSX needs --output FILE")
        if what == "production-units":
            facilities = Facility.objects.filter(organization=org)
            if options["product"]:
                product = Product.objects.filter(organization=org, sku=options["product"]).first()
                if product is None:
                    fail(f"--product: no product with SKU {options['product']!r}")
                ids = ids_of(product_chain(product).depth, NodeKind.FACILITY)
                facilities = facilities.filter(pk__in=ids)
            response = export_response(
                fmt,
                what,
                exporting.PRODUCTION_UNIT_HEADERS,
                exporting.production_unit_rows(facilities),
            )
        else:
            response = export_response(fmt, what, *exporting.export_table(what, org.pk))
        if options["output"]:
            try:
                write_export(response, options["output"])
            except OSError as exc:
                fail(f"cannot write {options['output']}: {exc.strerror}")
            self.stderr.write(f"Wrote {options['output']}.")
        else:
            for text in export_text(response):
                sys.stdout.write(text)
