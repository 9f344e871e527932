from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chainproof.accounts.commands import organization_named
from chainproof.common.commands import fail, iso_date
from chainproof.domain.refdata import KINDS
from chainproof.reference.models import Dataset
from chainproof.reference.services import (
    BUNDLED_MANIFEST,
    DatasetFile,
    ReferenceLoadError,
    datasets_load,
    read_file,
    read_manifest,
)


class Command(BaseCommand):
    help = "Load and list reference datasets (TIP tiers, DOL goods, WROs, entity lists, ...)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{load,list}")
        load = sub.add_parser(
            "load",
            help="Load the bundled datasets, a manifest (.yaml), or CSV files of one kind.",
            description=(
                "With no PATH, load the datasets bundled with chainproof. A PATH ending in "
                ".yaml/.yml is a manifest naming files and their provenance. CSV paths need "
                "--kind, --edition, --as-of and --source. Every file is validated before "
                "anything is written; one bad row loads nothing."
            ),
        )
        load.add_argument(
            "paths",
            nargs="*",
            metavar="PATH",
            help="A manifest (.yaml) or CSV files of one kind (default: the bundled datasets).",
        )
        load.add_argument("--kind", choices=sorted(KINDS), help="Kind of the CSV files.")
        load.add_argument("--edition", help="Edition name, e.g. 'TIP 2026'.")
        load.add_argument("--as-of", type=iso_date, help="Date the data is as of (YYYY-MM-DD).")
        load.add_argument("--source", help="Where the file comes from.")
        load.add_argument("--license", default="", help="License or terms of the source.")
        load.add_argument("--notes", default="", help="Known gaps or caveats.")
        load.add_argument(
            "--organization",
            metavar="SLUG",
            help="Load for one organization only (default: public, for every organization).",
        )
        sub.add_parser("list", help="List loaded datasets with edition, as-of, rows, checksum.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list()
        else:
            self._load(options)

    def _list(self) -> None:
        datasets = Dataset.objects.select_related("organization").order_by("kind", "-as_of")
        if not datasets:
            self.stdout.write("No reference datasets are loaded. Run `chainproof refdata load`.")
            return
        for ds in datasets:
            owner = ds.organization.slug if ds.organization else "public"
            self.stdout.write(
                f"{ds.kind:<20} {ds.edition:<48} as of {ds.as_of}  {ds.row_count:>6} rows  "
                f"sha256 {ds.sha256[:16]}…  {owner}"
            )

    def _load(self, options: dict[str, Any]) -> None:
        paths = [Path(p) for p in options["paths"]]
        try:
            files = self._files(paths, options)
            organization = None
            if options["organization"]:
                organization = organization_named(options["organization"])
            outcomes = datasets_load(files, organization=organization)
        except ReferenceLoadError as exc:
            lines = [str(exc).split(": ")[0] + ": nothing was loaded."]
            lines += [f"  {error}" for error in exc.errors] or [f"  {exc}"]
            if exc.total > len(exc.errors):
                lines.append(f"  ... {exc.total - len(exc.errors)} more errors")
            fail("\n".join(lines))
        for outcome in outcomes:
            ds = outcome.dataset
            verb = "loaded" if outcome.created else "already loaded, unchanged"
            self.stdout.write(
                f"{ds.kind} {ds.edition!r}: {verb} ({ds.row_count} rows, as of {ds.as_of})"
            )

    def _files(self, paths: list[Path], options: dict[str, Any]) -> list[DatasetFile]:
        if not paths:
            return read_manifest(BUNDLED_MANIFEST)
        manifests = [p for p in paths if p.suffix.lower() in {".yaml", ".yml"}]
        csvs = [p for p in paths if p not in manifests]
        files: list[DatasetFile] = []
        for manifest in manifests:
            files.extend(read_manifest(manifest))
        if csvs:
            missing = [
                flag
                for flag, key in (
                    ("--kind", "kind"),
                    ("--edition", "edition"),
                    ("--as-of", "as_of"),
                    ("--source", "source"),
                )
                if not options[key]
            ]
            if missing:
                fail(f"loading CSV files needs {', '.join(missing)}")
            for path in csvs:
                files.append(
                    DatasetFile(
                        kind=options["kind"],
                        file_name=path.name,
                        data=read_file(path),
                        edition=options["edition"],
                        as_of=options["as_of"],
                        source=options["source"],
                        license=options["license"],
                        notes=options["notes"],
                    )
                )
        return files
