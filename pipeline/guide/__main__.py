"""`python -m pipeline.guide`: render docs/panduan-operator.md into the packaged page."""

from pathlib import Path

from . import PACKAGED, SOURCE, render

root = Path(__file__).resolve().parents[2]
source = root / SOURCE
PACKAGED.write_text(render(source.read_text("utf-8"), source.parent), "utf-8")
print(f"{PACKAGED} ({PACKAGED.stat().st_size // 1024} KB)")
