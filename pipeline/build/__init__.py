"""What the counted plans make: consolidation, history, follow-up."""
