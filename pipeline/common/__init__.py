"""Helpers every stage uses: atomic writes, worker processes, spreadsheet styles, the
.xlsx package."""
