"""The built-in demo workshop, `masterplan demo`; no runtime module imports it.

- `workshop`: `make_demo`, who sends what, the two rounds and the account of them.
- `ideas`: what the planners write, from the data file `content.toml` (package data).
- `mistakes`: the mistakes participants make, planted on purpose, and the scenarios.
- `files`: the submissions written into inbox/ (LibreOffice re-save, lock file, copies).
- `filling`: fills a template as a participant would (also for tests and benchmarks).
"""
