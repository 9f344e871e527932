"""Every kind of background job, as a constant: call sites never type the string."""

from __future__ import annotations

from enum import StrEnum


class JobKind(StrEnum):
    RISK_SCORE_ALL = "risk.score_all"
    RISK_RESCORE = "risk.rescore"
    RISK_SCORE_PART = "risk.score_part"
    SCREENING_SCREEN = "screening.screen"
    SCREENING_SCREEN_PART = "screening.screen_part"
    SUPPLIERS_TIERS = "suppliers.tiers"
    SUPPLIERS_IMPORT = "suppliers.import"
    QUESTIONNAIRES_REMIND = "questionnaires.remind"
    OUTBOX_SEND = "outbox.send"
    AUDIT_CHECKPOINT = "audit.checkpoint"
    AUDIT_VERIFY = "audit.verify"
    SCREENING_WATCHLIST_IMPORT = "screening.watchlist_import"
    UPLOADS_EXPIRE = "jobs.uploads_expire"
    EVIDENCE_EXTRACT = "evidence.extract"
    EVIDENCE_VERIFY = "evidence.verify"
    EVIDENCE_EXPIRY = "evidence.expiry"
    DILIGENCE_OVERDUE = "diligence.overdue"
    CASES_REMIND = "cases.remind"
    REFERENCE_CHECK = "reference.check_updates"

    @property
    def label(self) -> str:
        """What the job does, in words a person reads."""
        return _LABELS[self]


_LABELS = {
    JobKind.RISK_SCORE_ALL: "Score every record",
    JobKind.RISK_RESCORE: "Re-score what changed",
    JobKind.RISK_SCORE_PART: "Score one part of every record",
    JobKind.SCREENING_SCREEN: "Screen names against the lists",
    JobKind.SCREENING_SCREEN_PART: "Screen one batch of names against the lists",
    JobKind.SUPPLIERS_TIERS: "Recompute tiers",
    JobKind.SUPPLIERS_IMPORT: "Import a file",
    JobKind.QUESTIONNAIRES_REMIND: "Send questionnaire reminders",
    JobKind.OUTBOX_SEND: "Send queued email",
    JobKind.AUDIT_CHECKPOINT: "Sign a checkpoint of the audit trail",
    JobKind.AUDIT_VERIFY: "Verify the whole audit trail",
    JobKind.SCREENING_WATCHLIST_IMPORT: "Import watchlist entries",
    JobKind.UPLOADS_EXPIRE: "Delete expired uploads",
    JobKind.EVIDENCE_EXTRACT: "Read the text of evidence documents",
    JobKind.EVIDENCE_VERIFY: "Verify every stored document against its SHA-256",
    JobKind.EVIDENCE_EXPIRY: "Mark expired evidence and announce what expires soon",
    JobKind.DILIGENCE_OVERDUE: "Raise the risk of records with overdue corrective actions",
    JobKind.CASES_REMIND: "Send reminders of case deadlines",
    JobKind.REFERENCE_CHECK: "Check the official sources for new editions of the lists",
}
