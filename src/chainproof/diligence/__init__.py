"""The due-diligence program: audits with findings and corrective actions, the program's
records (policies, training, contracts, stakeholder engagement, worker interviews, fee
reimbursements), evidence requests to suppliers, the reasonable-care self-assessment and
rebuttal readiness."""
