"""python -m pipeline.catalogue [docs/reference.md ...]: regenerate the problem-code
tables in the reference and the operator's guide."""

import sys
from pathlib import Path

from . import update_code_table

for name in sys.argv[1:] or ["docs/reference.md", "docs/panduan-operator.md"]:
    doc = Path(name)
    doc.write_text(update_code_table(doc.read_text("utf-8")), "utf-8")
