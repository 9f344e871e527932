"""An audit event told in words: "Job finished: Score every record" rather than
``job.succeeded risk.score_all #5 (running)``, and its before/after as labelled values.

The stored event keeps its codes (they are hashed into the chain); only what a person reads
is put into words here. An action without its own wording reads from its code
("evidence.document_reviewed" -> "Document reviewed"), so a new action never shows raw.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps

from chainproof.jobs.kinds import JobKind
from chainproof.jobs.results import result_facts

# Actions whose code does not read well on its own.
ACTION_WORDS = {
    "job.enqueued": "Job queued",
    "job.succeeded": "Job finished",
    "job.failed": "Job failed",
    "job.rejected": "Job refused its input",
    "job.extended": "Job given more time",
    "job.reclaimed": "Job restarted after its worker stopped",
    "jobs.uploads_expired": "Expired uploads deleted",
    "user.created": "User created",
    "user.logged_in": "Signed in",
    "user.logged_out": "Signed out",
    "user.login_failed": "Sign-in failed",
    "user.login_locked": "Sign-in locked after repeated failures",
    "user.password_reset_requested": "Password reset requested",
    "accounts.password_set": "Password set",
    "api_token.created": "API token created",
    "api_token.revoked": "API token revoked",
    "membership.created": "Member added",
    "membership.role_changed": "Member's role changed",
    "organization.created": "Organization created",
    "supplier.created": "Supplier created",
    "supplier.updated": "Supplier changed",
    "supplier.identifiers_changed": "Supplier's identifiers changed",
    "facility.created": "Worksite created",
    "facility.updated": "Worksite changed",
    "product.created": "Product created",
    "product.inputs_changed": "Product's bill of materials changed",
    "material.created": "Material created",
    "link.created": "Supply link added",
    "link.deleted": "Supply link removed",
    "import.suppliers": "Suppliers imported",
    "import.facilities": "Worksites imported",
    "import.products": "Products imported",
    "import.materials": "Materials imported",
    "import.links": "Supply links imported",
    "import.ftm": "Supply chain imported from FollowTheMoney",
    "import.shipments": "Shipments imported",
    "import.file_received": "Import file received",
    "import.mapping_confirmed": "Import columns confirmed",
    "import.mapping_saved": "Import columns saved",
    "import.row_decided": "Import row decided",
    "import.row_discarded": "Import row discarded",
    "import.row_edited": "Import row corrected",
    "import.rows_kept": "Import rows kept for review",
    "import.date_order_chosen": "Import date order chosen",
    "reference.dataset_loaded": "Reference data loaded",
    "screening.completed": "Screening finished",
    "screening.hit_created": "Possible list match found",
    "screening.threshold_changed": "Screening threshold changed",
    "screening.watchlist_added": "Added to the watchlist",
    "screening.watchlist_removed": "Removed from the watchlist",
    "risk.methodology_saved": "Risk methodology saved",
    "questionnaire.version_loaded": "Questionnaire version loaded",
    "questionnaire.campaign_created": "Questionnaire campaign created",
    "questionnaire.accepted": "Questionnaire accepted",
    "questionnaire.returned": "Questionnaire returned for correction",
    "questionnaire.submitted": "Questionnaire submitted",
    "questionnaire.answers_reused": "Answers reused from a workbook answered for another request",
    "questionnaire.invitation_sent": "Questionnaire invitation sent",
    "screening.hit_confirmed": "Screening hit confirmed as a match",
    "screening.hit_dismissed": "Screening hit dismissed",
    "cases.package_built": "Evidence package built",
    "email.queued": "Email queued",
    "email.sent": "Email sent",
    "email.failed": "Email not delivered",
    "email.retry_requested": "Email to be sent again",
    "evidence.verified": "Evidence checked against its SHA-256",
    "evidence.hold_placed": "Legal hold placed",
    "evidence.hold_released": "Legal hold released",
    "cases.case_opened": "Detention case opened",
}

# Fields whose name does not read well once its underscores become spaces.
FIELD_WORDS = {
    "legal_name": "legal name",
    "native_name": "name in its own script",
    "dprk_workers": "North Korean workers",
    "sha256": "SHA-256",
    "as_of": "as of",
    "row_count": "rows",
    "file_name": "file",
    "new_hits": "new possible matches",
    "kind": "kind",
    "params": "settings",
    "url": "address",
    "tier": "tier",
}


def action_sentence(action: str) -> str:
    """The action alone in words: "job.succeeded" -> "Job finished"."""
    if action in ACTION_WORDS:
        return ACTION_WORDS[action]
    prefix, _, rest = str(action).rpartition(".")
    words = rest.replace("_", " ").strip()
    if " " not in words and prefix:  # "case.closed" -> "Case closed"
        words = f"{prefix.rsplit('.', 1)[-1].replace('_', ' ')} {words}"
    return words[:1].upper() + words[1:]


def _job_label(event: Any) -> str:
    kind = ""
    for side in (event.after, event.before):
        if isinstance(side, dict) and isinstance(side.get("kind"), str):
            kind = side["kind"]
            break
    if not kind:
        kind = str(event.object_repr).split(" ", 1)[0]
    try:
        return JobKind(kind).label
    except ValueError:
        return str(event.object_repr)


def object_words(event: Any) -> str:
    """What the event is about, in words: a job by what it does, anything else by its name."""
    if event.object_type == "jobs.job":
        return _job_label(event)
    return str(event.object_repr or "")


def event_sentence(event: Any) -> str:
    """ "Job finished: Score every record", "Supplier created: Meghna Knitwear Ltd."."""
    what = object_words(event)
    sentence = action_sentence(event.action)
    return f"{sentence}: {what}" if what else sentence


def type_words(object_type: str) -> str:
    """ "suppliers.supplier" -> "Supplier"; a type that is not a model reads from its code."""
    if not object_type:
        return ""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        name = object_type.rsplit(".", 1)[-1].replace("_", " ")
    else:
        name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]


def field_words(key: str) -> str:
    """A stored field's name in words: "legal_name" -> "Legal name", "parent_id" -> "Parent"."""
    words = FIELD_WORDS.get(key, key.removesuffix("_id").replace("_", " "))
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class Shown:
    label: str
    text: str
    nested: list[Shown] | None = None


def value_words(value: Any) -> str:
    """One stored value as text: nothing as "(none)", yes/no, lists joined."""
    if value is None or value == "" or value == [] or value == {}:
        return "(none)"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            return ", ".join(value_words(v) for v in value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def state_words(state: Any) -> list[Shown]:
    """An event's before or after as labelled values (one level of nesting shown as its
    own list); an empty list when nothing was recorded."""
    if state is None:
        return []
    if not isinstance(state, dict):
        return [Shown("Value", value_words(state))]
    shown = []
    for key, value in state.items():
        if key == "result" and isinstance(value, dict):  # a job's result: its own labels
            facts = [Shown(label, text) for label, text in result_facts(value)]
            shown.append(Shown("Result", "", facts))
            continue
        flat = isinstance(value, dict) and all(not isinstance(v, dict) for v in value.values())
        if value and flat:
            shown.append(Shown(field_words(str(key)), "", state_words(value)))
        else:
            shown.append(Shown(field_words(str(key)), value_words(value)))
    return shown
