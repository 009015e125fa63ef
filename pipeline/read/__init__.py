"""Reading a returned file: safety checks, the workbook, its rows cell by cell; the
[rujukan] lists."""
