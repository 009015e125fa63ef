"""Assembling the masterplan from the counted plans: consolidation, replacements, what
changed, withdrawals, follow-up, Quick Win scoring."""
