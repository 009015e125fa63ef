"""Every workbook, document and page the pipeline writes."""
