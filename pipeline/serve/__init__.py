"""`masterplan serve`: participants hand in their own files on the hall's network.

A Starlette app served by uvicorn on the operator's laptop (`runner`), with the inbox
watcher of `masterplan watch` in a thread beside it. An upload (`app`: the page `/`, and
`POST /unggah` for scripts) is checked against its OPD's access code (store.access)
before its file is kept (`door`, with the counts of `limits`; stalled clients dropped by
`connections`), written into `inbox/unggah/` under a name carrying that OPD's code, the
time and the format of its bytes (`desk`), handed to the watcher, and answered with the
watcher's verdict: the same ledger, archive, replacement rules and feedback workbook as
any inbox file. Pages are Jinja2 templates with autoescaping (`pages`): every
participant text is escaped.
"""
