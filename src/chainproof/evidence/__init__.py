"""The evidence locker and the due-diligence program: documents with provable integrity,
audits and corrective actions, reasonable care, rebuttal readiness."""
