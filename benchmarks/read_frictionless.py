"""Comparison: the same files read and validated with frictionless, as one process.

    python benchmarks/read_frictionless.py INBOX

For every .xlsx under INBOX: a `frictionless.Resource` on the `Program` sheet
(`ExcelControl(sheet="Program")`) with the header in Excel row 3
(`Dialect(header_rows=[3])`), and a schema declared from the template contract
(`pipeline.layout.program_columns`): the choice columns with their lists (`enum`), the
text columns with their length limits (`maxLength`), the rest `any` (frictionless has no
type for "Rp 1.500.000"). `resource.validate()` reads and validates every row.

What frictionless cannot express is left out (it would not change the comparison much):
required columns (the template's 150 prefilled "No" rows would all fail them, and there
is no "required when the row is filled"), element-of-dimension, Quick Win rules, money
parsing, one validation call over all files.
"""

from __future__ import annotations

import sys
from pathlib import Path

from frictionless import Dialect, Resource, Schema, fields
from frictionless.formats import ExcelControl


def declared_schema(inbox: Path) -> Schema:
    from pipeline import layout
    from pipeline.config import load

    cfg = load(inbox.parent / "masterplan.toml")
    choices = {"dimensi": list(cfg.dimensions), "elemen": list(cfg.element_dimension),
               "jenis_program": list(cfg.program_types), "sumber_dana": list(cfg.funding_sources),
               "quick_win": list(layout.QUICK_WIN_CHOICES)}
    schema = Schema()
    for column in layout.program_columns(cfg):
        if column.key in choices:
            schema.add_field(fields.StringField(name=column.label,
                                                constraints={"enum": choices[column.key]}))
        elif column.kind == "text" and column.max_len:
            schema.add_field(fields.StringField(name=column.label,
                                                constraints={"maxLength": column.max_len}))
        else:
            schema.add_field(fields.AnyField(name=column.label))
    return schema


def main(inbox: Path) -> int:
    files = sorted(p for p in inbox.rglob("*.xlsx") if p.is_file())
    schema = declared_schema(inbox)
    rows = errors = 0
    for path in files:
        resource = Resource(path.name, basepath=str(path.parent), format="xlsx",
                            control=ExcelControl(sheet="Program"),
                            dialect=Dialect(header_rows=[3]), schema=schema)
        report = resource.validate()
        if report.stats["errors"] and not report.tasks[0].stats.get("rows"):
            raise SystemExit(f"{path.name}: {report.flatten(['type', 'note'])[:3]}")
        rows += report.tasks[0].stats["rows"]
        errors += report.stats["errors"]
    print(f"{len(files)} files, {rows} rows read, {errors} errors")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
