"""Every workbook, document and page the pipeline writes, one package per output: `rekap`,
`monitoring` (`masterplan pantau`), `templates`, `book`, `feedback`, `board`; each
package's `__init__` writes its output and its other modules are its parts. Beside them:
what the rekap and pantau's workbook share (`xlbook`, `xlsheet`), the run report
(`reports`), the Quick Win workbooks (`quickwin_reports`) and every output of `run`
(`run_outputs`). Nothing here reads the ledger: the orchestrator passes the data in."""
