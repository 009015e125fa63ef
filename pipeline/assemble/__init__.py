"""Assembling the masterplan from the counted plans: consolidation, what changed, follow-up,
Quick Win scoring."""
