from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser
from django.urls import reverse

from chainproof.accounts.commands import OrganizationCommand
from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.common.commands import fail, progress_bar
from chainproof.domain.values import DATE_ORDER_UNKNOWN
from chainproof.suppliers.importing import ENTITIES, ImportFailed, run_import

DATE_ORDER_HINT = (
    "Say how the file writes dates: --date-order dmy (08.11.2024 is 8 November) or "
    "--date-order mdy (11/08/2024 is 8 November)."
)


class Command(OrganizationCommand):
    help = (
        "Import suppliers, facilities, materials, products or links from a CSV, XLSX, ODS or "
        "XLS file. The header row is found below any title rows and its columns mapped to "
        "fields (--mapping). Without --import-valid one problem refuses the whole file; with "
        "it the ready rows are imported, sure duplicates merged, and the rest kept as pending "
        "rows to review in the web app. --dry-run shows what would happen, exactly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("entity", choices=ENTITIES, help="What the file holds.")
        parser.add_argument(
            "file",
            help="CSV (UTF-8, UTF-16, Windows-1252 or GB18030; comma, semicolon, tab or pipe), "
            ".xlsx, .ods or .xls.",
        )
        parser.add_argument(
            "--mapping",
            default="auto",
            metavar="auto|NAME|'Header=field;...'",
            help="auto (default): the proposed mapping; NAME: a saved mapping or a shipped one "
            "(open-supply-hub, erp-vendor-master); or the columns written out, e.g. "
            "'Name 1=legal_name;Land=country;Employees=attribute'. Columns not named keep "
            "the proposal; 'attribute' keeps a column on the record, 'ignore' leaves it out.",
        )
        parser.add_argument(
            "--import-valid",
            action="store_true",
            help="Import the ready rows and keep the others pending for review (exit status 0 "
            "whatever is pending).",
        )
        parser.add_argument(
            "--date-order",
            type=str.upper,
            choices=("DMY", "MDY", "YMD"),
            metavar="dmy|mdy|ymd",
            help="How the file writes dates (dmy: 08.11.2024 is 8 November; mdy: 11/08/2024 "
            "is). By default the order each date column shows; a date that could be read "
            "either way is asked for.",
        )
        parser.add_argument(
            "--as",
            dest="acting",
            metavar="USERNAME",
            help="The member (an analyst or above) the import is done as: named in the audit "
            "log and on the list of uploads. By default: the command line.",
        )
        parser.add_argument(
            "--sheet",
            metavar="NAME",
            help="The workbook's sheet to read. By default the sheet named after what the file "
            "holds (e.g. 'suppliers'), else the first sheet with values; the output names the "
            "sheet read and every other sheet with rows.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report only.")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = self.organization(options)
        actor = _acting(organization, options.get("acting"))
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            fail(f"cannot read {path}: {exc.strerror}")
        with progress_bar(self, "importing") as progress:
            try:
                report = run_import(
                    organization=organization,
                    actor=actor,
                    entity=options["entity"],
                    data=data,
                    file_name=path.name,
                    dry_run=options["dry_run"],
                    progress=progress,
                    mapping=options["mapping"],
                    import_valid=options["import_valid"],
                    date_order=options["date_order"],
                    sheet=options["sheet"],
                    origin="command",
                )
            except ImportFailed as exc:
                lines = [f"{exc.source}: nothing was imported ({_count(exc.total, 'problem')})."]
                lines += [f"  {error}" for error in exc.errors]
                if exc.total > len(exc.errors):
                    lines.append(f"  ... {exc.total - len(exc.errors)} more")
                if any(e.expected.startswith(DATE_ORDER_UNKNOWN) for e in exc.errors):
                    lines.append(DATE_ORDER_HINT)
                if not options["import_valid"] and exc.rows_pending:
                    lines.append(
                        "Fix these rows, or run again with --import-valid to import the other "
                        "rows and keep these pending for review."
                    )
                fail("\n".join(lines))
        self.report(report, path.name, organization.slug)
        if report.tiers and report.tiers["cycle_count"]:
            self.stdout.write(
                self.style.WARNING(
                    f"{report.tiers['cycle_count']} cycle(s) in the links, e.g. "
                    + " -> ".join(report.tiers["cycles"][0])
                )
            )

    def report(self, report: Any, name: str, slug: str) -> None:
        write = self.stdout.write
        dry = report.dry_run
        for note in report.notes:
            write(note[:1].upper() + note[1:] + ".")
        write(f"Mapping: {report.mapping}")
        if report.attributes:
            write("Kept as attributes: " + ", ".join(report.attributes))
        if report.unmapped:
            write("Columns left out: " + ", ".join(report.unmapped))
        verbs = ("would create", "would update") if dry else ("created", "updated")
        write(
            f"{'Would import' if dry else 'Imported'} {name} into {slug}: "
            f"{_count(report.rows, 'row')}; "
            f"{verbs[0]} {report.created}, {verbs[1]} {report.updated}, "
            f"{report.unchanged} unchanged, {report.merged} merged into a duplicate row, "
            f"{report.pending} {'would be kept' if dry else 'kept'} pending."
        )
        shown = sorted(report.changes, key=lambda c: c["action"] != "update")[:20]
        for change in shown:
            fields = ", ".join(change["fields"])
            write(
                f"  row {change['row']}: {change['action']} {change['record']}"
                + (f" ({fields})" if change["action"] == "update" else "")
            )
        listed = report.created + report.updated
        if listed > len(shown):
            write(f"  ... and {listed - len(shown):,} more rows that create or update a record")
        for duplicate in report.duplicates[:20]:
            other = (
                f"row {duplicate['of']}"
                if duplicate["of"]
                else f"stored record #{duplicate['stored']}"
            )
            state = "merged into" if duplicate["merged"] else "may be the same as"
            if dry and duplicate["merged"]:
                state = "would be merged into"
            write(f"  row {duplicate['row']} {state} {other}: {duplicate['reason']}")
        for kept in report.kept[:20]:
            write(
                f"  row {kept['row']}: merged into stored record #{kept['record']}; {kept['words']}"
            )
        for problem in report.problems[:20]:
            write("  pending: " + _problem_words(problem))
        if report.pending > 20:
            write(f"  ... {report.pending - 20} more pending rows")
        if any(str(p["expected"]).startswith(DATE_ORDER_UNKNOWN) for p in report.problems):
            write(DATE_ORDER_HINT)
        if report.batch_id:
            link = settings.PUBLIC_BASE_URL + reverse(
                "suppliers:import_batch", args=[report.batch_id]
            )
            write(
                f"Pending rows are kept for review: {link} "
                "(fix them there, or correct the file and import it again)."
            )


def _acting(organization: Any, username: str | None) -> Any:
    """The user of --as: a member of the organization who may import; None without it."""
    if not username:
        return None
    member = (
        Membership.objects.filter(organization=organization, user__username=username)
        .select_related("user")
        .first()
    )
    if member is None:
        fail(f"--as: no member {username!r} in {organization.slug} (see `chainproof org list`)")
    if not member.has_role(Role.ANALYST):
        fail(
            f"--as: {username} is a {member.role} in {organization.slug}; importing needs an "
            "analyst"
        )
    return member.user


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _problem_words(problem: dict[str, Any]) -> str:
    where = f"row {problem['row']}" + (f", column {problem['column']}" if problem["column"] else "")
    return f"{where}: expected {problem['expected']}, found {problem['found']!r}"
