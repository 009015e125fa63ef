"""Reading a returned file: safety checks, the workbook, cell cleaning."""
