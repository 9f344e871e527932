from __future__ import annotations

import sys
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
from chainproof.reference.updates import UpdateError, updatable_kinds, update_check, update_load


class Command(BaseCommand):
    help = "Load and list reference datasets (TIP tiers, DOL goods, WROs, entity lists, ...)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{load,list,update}")
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
        update = sub.add_parser(
            "update",
            help="Fetch lists from their publishers, show what changed, and load the new editions.",
            description=(
                "Fetch each list from its publisher's address (CHAINPROOF_REFDATA_URL_<KIND>), "
                "or read a downloaded file with --from, in the publisher's format or in "
                "chainproof's CSV layout; validate it, print the diff against the edition in "
                "force, and load it as a new public edition after confirmation. The old "
                "edition stays queryable. A failed fetch or a changed layout changes nothing."
            ),
        )
        update.add_argument(
            "datasets",
            nargs="*",
            metavar="DATASET",
            help="Kinds of list to update (default: every list with a source address: "
            + ", ".join(updatable_kinds())
            + ").",
        )
        update.add_argument(
            "--from",
            dest="sources",
            action="append",
            metavar="FILE_OR_URL",
            help="Read this downloaded file or address instead of the configured source "
            "(one DATASET; repeat for lists published as several files, e.g. SDN.CSV, "
            "ALT.CSV and ADD.CSV).",
        )
        update.add_argument(
            "--yes",
            action="store_true",
            help="Load every changed list without asking (for scripts; needed when standard "
            "input is not a terminal).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list()
        elif options["action"] == "update":
            self._update(options)
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

    def _update(self, options: dict[str, Any]) -> None:
        kinds = list(dict.fromkeys(options["datasets"])) or updatable_kinds()
        unknown = [kind for kind in kinds if kind not in KINDS]
        if unknown:
            fail(f"unknown dataset {', '.join(unknown)}; expected some of {', '.join(KINDS)}")
        sources = options["sources"]
        if sources and len(kinds) != 1:
            fail("--from reads one list: name exactly one DATASET")
        failures = refused = 0
        for kind in kinds:
            try:
                plan = update_check(kind, sources=sources)
            except UpdateError as exc:
                failures += 1
                self.stderr.write(f"{kind}: not updated. {exc}")
                for error in exc.errors[:20]:
                    self.stderr.write(f"  {error}")
                continue
            current = plan.current.edition if plan.current else "none loaded"
            self.stdout.write(f"{plan.title} ({kind}): edition in force {current!r}")
            self.stdout.write(f"  new: {plan.spec.edition!r}, as of {plan.spec.as_of}")
            for note in plan.notes:
                self.stdout.write(f"  note: {note}")
            self.stdout.write("  " + plan.diff.text().replace("\n", "\n  "))
            if not plan.needs_loading:
                self.stdout.write("  Nothing to load.")
                continue
            if not options["yes"]:
                if not sys.stdin.isatty():
                    refused += 1
                    self.stderr.write(
                        f"{kind}: not loaded: standard input is not a terminal, so no one "
                        "can confirm; run again with --yes to load it."
                    )
                    continue
                answer = input(f"Load {plan.spec.edition!r} as a new edition? [y/N] ")
                if answer.strip().lower() not in ("y", "yes"):
                    self.stdout.write("  Not loaded.")
                    continue
            try:
                outcome = update_load(plan)
            except UpdateError as exc:
                failures += 1
                self.stderr.write(f"{kind}: not loaded. {exc}")
                continue
            ds = outcome.dataset
            self.stdout.write(
                f"  Loaded {ds.edition!r} ({ds.row_count} rows, as of {ds.as_of}); the "
                "re-screen and re-score are queued."
            )
        if failures or refused:
            fail(
                f"{failures} list(s) failed, {refused} not loaded for want of confirmation"
                if failures
                else f"{refused} list(s) not loaded for want of confirmation (use --yes)"
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
