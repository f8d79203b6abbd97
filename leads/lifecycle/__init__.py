"""A lead's life: qualification, stages, scoring, routing, assignment, referrals,
outcomes and the audit trail."""
