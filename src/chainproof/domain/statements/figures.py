"""The figures a statement's sections are pre-filled with, named once.

Each regime's sections (`domain/data/statement_regimes.yaml`) list the figures they draw on
by these keys; the statements app computes each for an organization and a reporting period,
as a table whose rows link to the records they were counted from.
"""

from __future__ import annotations

FIGURES: dict[str, str] = {
    "structure": "Suppliers, worksites and products on record, with the tiers mapped",
    "suppliers_by_country": "Direct suppliers by country",
    "worksites_by_country": "Worksites by country",
    "worksites_by_tier": "Worksites by tier of the supply chain",
    "high_risk_goods": "Goods on the Labor Department's list; products where a presumption applies",
    "risk_highest": "Where the risk is highest, and why (records at critical and high risk)",
    "policies_in_force": "Policies in force, who approved them and when",
    "questionnaires": "Supplier questionnaires sent, answered and accepted; response rate",
    "screening": "Names screened against the lists, hits found, confirmed and dismissed",
    "audits_by_kind": "Audits by kind (announced, unannounced, third-party, desk review)",
    "findings_by_indicator": "Audit findings by ILO indicator of forced labour",
    "corrective_actions": "Corrective actions opened, closed and overdue",
    "remediation": "Recruitment fees reimbursed to workers; corrective actions completed",
    "training": "Training sessions, audiences and attendance",
    "detentions": "Shipments detained by customs and the outcome of each case",
    "effectiveness": "Measures of effectiveness over the period, compared with the period before",
}
