from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chainproof.accounts.commands import organization_named
from chainproof.audit.checkpoints import (
    CheckpointError,
    checkpoint_file,
    checkpoint_write,
    checkpoints_read,
)
from chainproof.audit.selectors import all_chains, verify_audit_chain
from chainproof.audit.services import chain_for
from chainproof.common.commands import fail


class Command(BaseCommand):
    help = (
        "Check the audit trail: `audit verify` recomputes every keyed hash-chain link and "
        "compares the chains with the signed checkpoints; `audit checkpoint` writes one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify,checkpoint}")
        verify = sub.add_parser(
            "verify",
            help="Recompute each chain and check it against the checkpoints.",
            description="Exits 0 when every chain holds and matches every checkpoint, 1 at "
            "the first broken link or checkpoint.",
        )
        verify.add_argument(
            "--organization", metavar="SLUG", help="Only this organization's chain."
        )
        verify.add_argument(
            "--checkpoints",
            metavar="FILE",
            type=Path,
            help="A checkpoint file kept elsewhere (an auditor's copy); default: the one in "
            "the data directory.",
        )
        checkpoint = sub.add_parser(
            "checkpoint",
            help="Sign the head of every chain into the checkpoint file (the worker does it "
            "hourly).",
        )
        checkpoint.add_argument(
            "--export",
            metavar="FILE",
            type=Path,
            help="Also copy the whole checkpoint file here, for an auditor to keep.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "checkpoint":
            self._checkpoint(options)
            return
        try:
            checkpoints = checkpoints_read(options["checkpoints"])
        except CheckpointError as exc:
            fail(str(exc))
        if options["checkpoints"] and not options["checkpoints"].exists():
            fail(f"--checkpoints: no file {options['checkpoints']}")
        if options["organization"]:
            chains = [chain_for(organization_named(options["organization"]).pk)]
        else:
            chains = all_chains()
        broken = []
        for chain in chains:
            result = verify_audit_chain(chain, checkpoints)
            if result.first_break is not None:
                self.stdout.write(f"{chain}: BROKEN at {result.first_break}")
            else:
                legacy = f" ({result.unkeyed} from before keying)" if result.unkeyed else ""
                self.stdout.write(f"{chain}: {result.checked} events, keyed chain intact{legacy}")
            if result.checkpoints is not None:
                if result.checkpoints.ok:
                    self.stdout.write(
                        f"{chain}: {result.checkpoints.checked} checkpoint(s) match"
                        if result.checkpoints.checked
                        else f"{chain}: no checkpoint yet"
                    )
                else:
                    self.stdout.write(f"{chain}: CHECKPOINT MISMATCH: {result.checkpoints.problem}")
            if not result.ok:
                broken.append(result)
        if not chains:
            self.stdout.write("No audit events yet.")
        if broken:
            first = broken[0]
            reason = first.first_break or (first.checkpoints.problem if first.checkpoints else "")
            fail(f"{len(broken)} audit chain(s) do not verify; first: {first.chain}: {reason}")

    def _checkpoint(self, options: dict[str, Any]) -> None:
        written = checkpoint_write()
        self.stdout.write(
            f"Signed {len(written)} checkpoint(s) into {checkpoint_file()}"
            + (": " + ", ".join(f"{c.chain} at {c.seq}" for c in written) if written else ".")
        )
        if options["export"]:
            if not checkpoint_file().exists():
                fail("no checkpoint has been written yet")
            shutil.copyfile(checkpoint_file(), options["export"])
            self.stdout.write(f"Copied the checkpoint file to {options['export']}.")
