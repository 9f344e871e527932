"""Signed checkpoints of each chain's head, kept outside the database.

A checkpoint says "chain C had N events and its last hash was H", signed with the audit
key. The file lives in the data directory (settings.AUDIT_CHECKPOINTS), is appended to
by a periodic job and by `chainproof audit checkpoint`, and can be exported for an auditor
to keep. Verifying against it catches what the keyed chain alone cannot: a chain rewritten
from its first event, or events removed from its end together with the head row.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from chainproof.audit.models import AuditChainHead, AuditEvent
from chainproof.audit.services import audit_key
from chainproof.domain.hashing import signature, signature_matches


class CheckpointError(ValueError):
    """A checkpoint file that cannot be read (its line and what is wrong)."""


@dataclass(frozen=True)
class Checkpoint:
    chain: str
    seq: int
    hash: str
    written_at: str
    signature: str = ""

    def fields(self) -> dict[str, object]:
        return {"chain": self.chain, "seq": self.seq, "hash": self.hash, "at": self.written_at}


@dataclass(frozen=True)
class CheckpointReport:
    checked: int
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def checkpoint_file() -> Path:
    return Path(settings.AUDIT_CHECKPOINTS)


def checkpoints_read(path: Path | None = None) -> list[Checkpoint]:
    """Every checkpoint in a file (none if the file does not exist yet)."""
    path = path or checkpoint_file()
    if not path.exists():
        return []
    found = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                found.append(
                    Checkpoint(
                        chain=str(data["chain"]),
                        seq=int(data["seq"]),
                        hash=str(data["hash"]),
                        written_at=str(data["written_at"]),
                        signature=str(data["signature"]),
                    )
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise CheckpointError(f"{path}, line {number}: not a checkpoint ({exc})") from None
    return found


def checkpoint_write(path: Path | None = None) -> list[Checkpoint]:
    """Append a signed checkpoint of each chain whose head moved since its last one."""
    path = path or checkpoint_file()
    last = {c.chain: c.seq for c in checkpoints_read(path)}
    key = audit_key()
    now = timezone.now().isoformat(timespec="seconds")
    written = []
    for head in AuditChainHead.objects.order_by("chain"):
        if head.seq == 0 or last.get(head.chain) == head.seq:
            continue
        point = Checkpoint(head.chain, head.seq, head.hash, now)
        written.append(Checkpoint(**{**asdict(point), "signature": signature(key, point.fields())}))
    if written:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
            for point in written:
                handle.write(json.dumps(asdict(point), sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    return written


def checkpoints_verify(chain: str, checkpoints: Iterable[Checkpoint]) -> CheckpointReport:
    """Each checkpoint of the chain is signed with the audit key, names an event that is
    still stored with that hash, and the chain has not shrunk below it."""
    key = audit_key()
    mine = sorted((c for c in checkpoints if c.chain == chain), key=lambda c: c.seq)
    head = AuditChainHead.objects.filter(chain=chain).first()
    head_seq = head.seq if head else 0
    for number, point in enumerate(mine, start=1):
        where = f"checkpoint of {point.written_at} (position {point.seq})"
        if not signature_matches(key, point.fields(), point.signature):
            return CheckpointReport(number, f"{where}: the signature does not match (forged)")
        if point.seq > head_seq:
            return CheckpointReport(
                number,
                f"{where}: the chain now ends at position {head_seq}; events after it were removed",
            )
        stored = (
            AuditEvent.objects.filter(chain=chain, seq=point.seq)
            .values_list("hash", flat=True)
            .first()
        )
        if stored != point.hash:
            return CheckpointReport(
                number,
                f"{where}: the event stored there has another hash; the chain was rewritten",
            )
    return CheckpointReport(len(mine), None)
