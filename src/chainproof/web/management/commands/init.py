from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from chainproof.accounts.services import DemoSetup, demo_organization_ensure
from chainproof.cases.demo import demo_case_load
from chainproof.common.commands import fail
from chainproof.diligence.demo import demo_evidence_load
from chainproof.questionnaires.demo import demo_campaigns_load
from chainproof.questionnaires.versions import versions_sync
from chainproof.reference.services import ReferenceLoadError, bundled_datasets_load
from chainproof.risk.services import risk_score_all
from chainproof.screening.services import screen
from chainproof.statements.demo import demo_statements_load
from chainproof.suppliers.demo import demo_supply_chain_load
from chainproof.suppliers.importing import ImportFailed


class Command(BaseCommand):
    help = (
        "Prepare chainproof: create the data directory, migrate the database, load the "
        "bundled reference data and create the demo organization. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-demo", action="store_true", help="Do not create the demo organization."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        self.stdout.write(f"Database: {_describe_db()}")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database schema is up to date.")
        try:
            outcomes = bundled_datasets_load()
        except ReferenceLoadError as exc:
            fail(f"bundled reference data could not be loaded: {exc}")
        new = [o for o in outcomes if o.created]
        self.stdout.write(
            f"Reference data: {len(new)} dataset(s) loaded, "
            f"{len(outcomes) - len(new)} already present."
        )
        versions = versions_sync()
        self.stdout.write("Questionnaires: " + ", ".join(v.key for v in versions) + " available.")
        if options["no_demo"]:
            return
        with transaction.atomic():
            demo = demo_organization_ensure()
        self._load_demo_chain(demo)
        self._say_credentials(demo)

    def _load_demo_chain(self, demo: DemoSetup) -> None:
        try:
            reports = demo_supply_chain_load(organization=demo.organization)
        except ImportFailed as exc:
            fail(f"the demo supply chain could not be loaded: {exc}")
        created = sum(r.created for r in reports)
        self.stdout.write(
            f"Demo supply chain: {created} record(s) created"
            + (", everything else already present." if created == 0 else ".")
        )
        evidence = demo_evidence_load(organization=demo.organization)
        self.stdout.write(
            f"Demo evidence: {evidence['documents']} document(s), {evidence['audits']} audit(s)"
            + (" and the due-diligence program" if evidence["program"] else "")
            + " stored."
        )
        campaigns = demo_campaigns_load(organization=demo.organization)
        if campaigns:
            self.stdout.write(
                "Demo questionnaires: "
                + "; ".join(f"{c.name} ({c.requests.count()} suppliers)" for c in campaigns)
                + "."
            )
        screened = screen(organization_id=demo.organization.pk)
        self.stdout.write(
            f"Screening: {screened['records']} names screened, {screened['new_hits']} new hit(s) "
            "to review."
        )
        scored = risk_score_all(organization_id=demo.organization.pk)
        self.stdout.write(
            f"Risk: {scored['nodes']} records scored with {scored['methodology']} "
            f"({scored['changed']} new assessment(s))."
        )
        case = demo_case_load(organization=demo.organization)
        if case:
            self.stdout.write(f"Demo detention case: {case}.")
        statements = demo_statements_load(organization=demo.organization)
        if statements:
            self.stdout.write(
                "Demo statements: "
                + "; ".join(f"{s.title} ({s.get_status_display().lower()})" for s in statements)
                + "."
            )

    def _say_credentials(self, demo: DemoSetup) -> None:
        if demo.created and demo.password:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created the demo organization {demo.organization.name!r}.\n"
                    f"  Sign in as:  {demo.username}\n"
                    f"  Password:    {demo.password}\n"
                    "  This password is shown once. Change it after signing in, or reset it "
                    f"with `chainproof changepassword {demo.username}`."
                )
            )
        else:
            self.stdout.write(
                f"Demo organization {demo.organization.name!r} already exists; sign in as "
                f"{demo.username!r} with the password printed when it was created "
                f"(reset it with `chainproof changepassword {demo.username}`)."
            )


def _describe_db() -> str:
    db = settings.DATABASES["default"]
    if str(db["ENGINE"]).endswith("sqlite3"):
        return f"SQLite at {db['NAME']}"
    return f"PostgreSQL database {db['NAME']!r} on {db.get('HOST') or 'local socket'}"
