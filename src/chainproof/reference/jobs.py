"""The scheduled check of the reference lists (every CHAINPROOF_REFDATA_CHECK_DAYS days;
0 turns it off). A list that changed is loaded as a new public edition when
CHAINPROOF_REFDATA_AUTO_LOAD is on (the default: its re-screen and re-score are queued as
for any load), and the administrators of every organization get the diff by email. With
auto-load off they get the diff once per new file, to load it with `chainproof refdata
update` or on the reference-data page; so do they, with nothing loaded, for an edition that
would remove more than CHAINPROOF_REFDATA_AUTO_LOAD_MAX_REMOVED_PERCENT of the entries in
force. A failed fetch changes nothing; it is reported in the job's result."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction

from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.domain.hashing import sha256_bytes
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import Progress, handler, periodic
from chainproof.outbox.models import OutboundEmail
from chainproof.outbox.services import email_queue
from chainproof.reference.updates import (
    UpdateError,
    UpdatePlan,
    updatable_kinds,
    update_check,
    update_load,
)

log = logging.getLogger(__name__)
DAY = 24 * 3600


def _admins() -> dict[int, list[str]]:
    """Each organization's administrators' addresses."""
    found: dict[int, set[str]] = {}
    rows = Membership.objects.filter(role=Role.ADMIN).values_list("organization_id", "user__email")
    for organization_id, email in rows:
        if email and "@" in email:
            found.setdefault(organization_id, set()).add(email.strip().lower())
    return {org: sorted(emails) for org, emails in found.items()}


def _removes_too_much(plan: UpdatePlan) -> bool:
    """More entries removed than the share the scheduled check may load on its own."""
    if not plan.diff.old_count:
        return False
    share = 100 * len(plan.diff.removed) / plan.diff.old_count
    return share > settings.REFDATA_AUTO_LOAD_MAX_REMOVED_PERCENT


def _announce(plan: UpdatePlan, *, loaded: bool, purpose: str, held: bool = False) -> int:
    title = plan.title
    if held:
        subject = f"Reference data: {title} changed a lot; the new edition is held for you"
        action = (
            f"The new edition would remove {len(plan.diff.removed)} of the "
            f"{plan.diff.old_count} entries in force, more than the "
            f"{settings.REFDATA_AUTO_LOAD_MAX_REMOVED_PERCENT}% the scheduled check loads on "
            "its own (a page cut short or a file half downloaded looks like this). Nothing "
            "was loaded: check the publisher's list, then load it with `chainproof refdata "
            "update` or with Check for updates on the reference-data page."
        )
    elif loaded:
        subject = f"Reference data: {title} changed; the new edition is loaded"
        action = (
            f"The new edition {plan.spec.edition!r} (as of {plan.spec.as_of}) is loaded; "
            "screening and risk scores are being recomputed against it. The previous "
            "edition stays available on the reference-data page."
        )
    else:
        subject = f"Reference data: {title} changed; the new edition is not loaded yet"
        action = (
            "The new edition is not loaded (CHAINPROOF_REFDATA_AUTO_LOAD is off). Load it "
            "with `chainproof refdata update` or with Check for updates on the "
            "reference-data page."
        )
    body = "\n\n".join(
        [
            f"{title}, fetched from {plan.spec.source}:",
            plan.diff.text(limit=20),
            action,
            f"{settings.PUBLIC_BASE_URL}/reference/",
        ]
    )
    sent = 0
    for organization_id, emails in _admins().items():
        for email in emails:
            email_queue(
                organization=organization_id,
                to=email,
                subject=subject,
                body=body,
                purpose=purpose,
            )
            sent += 1
    return sent


def lists_check(kinds: list[str] | None = None) -> dict[str, Any]:
    """Check each list's source; returns what happened to each."""
    outcome: dict[str, Any] = {"changed": {}, "unchanged": [], "failed": {}, "emails": 0}
    for kind in kinds or updatable_kinds():
        try:
            plan = update_check(kind)
        except UpdateError as exc:
            log.warning("reference update check failed: %s", exc)
            outcome["failed"][kind] = str(exc)
            continue
        if not plan.needs_loading:
            outcome["unchanged"].append(kind)
            continue
        purpose = f"refdata:{kind}:{sha256_bytes(plan.spec.data)[:16]}"
        held = settings.REFDATA_AUTO_LOAD and _removes_too_much(plan)
        loading = settings.REFDATA_AUTO_LOAD and not held
        with transaction.atomic():
            if loading:
                try:
                    update_load(plan)
                except UpdateError as exc:
                    outcome["failed"][kind] = str(exc)
                    continue
            elif OutboundEmail.objects.filter(purpose=purpose).exists():
                outcome["unchanged"].append(kind)  # announced already; waiting for an admin
                continue
            outcome["emails"] += _announce(plan, loaded=loading, purpose=purpose, held=held)
        if held:
            outcome.setdefault("held", {})[kind] = plan.diff.summary()
        else:
            outcome["changed"][kind] = plan.diff.summary()
    return outcome


@handler(JobKind.REFERENCE_CHECK)
def check(job: Job, progress: Progress) -> dict[str, Any]:
    return lists_check()


if settings.REFDATA_CHECK_DAYS:
    periodic(JobKind.REFERENCE_CHECK, every_seconds=settings.REFDATA_CHECK_DAYS * DAY)
