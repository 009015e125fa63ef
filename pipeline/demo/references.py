"""The demo's [rujukan] lists: a fictional RPJMD program list and a nomenclature excerpt.

Both are package data written for the demo (`rujukan_rpjmd.csv`, `rujukan_nomenklatur.csv`,
in the layout the Bappeda's files have: a title above the header, the 2019 two-digit
sub kegiatan for one bidang); not copies of any published file. With the default
config, the demo copies them into the workspace, names them under [rujukan] and gives each
OPD the bidang urusan of its code and of its RPJMD programs (`[[opd]] urusan`).
"""

from __future__ import annotations

import csv
import io
import re
from importlib import resources
from pathlib import Path

RPJMD_FILE = "rujukan_rpjmd.csv"
NOMENCLATURE_FILE = "rujukan_nomenklatur.csv"
FILES = (RPJMD_FILE, NOMENCLATURE_FILE)
_OPD_ENTRY = re.compile(r'(kode = "([^"]+)"\nnama = "[^"]+"\nsingkatan = "([^"]+)"\n)')


def _text(name: str) -> str:
    return (resources.files(__package__) / name).read_text("utf-8")


def copy_lists(root: Path) -> None:
    for name in FILES:
        (root / name).write_text(_text(name), "utf-8")


def config_with_lists(text: str) -> str:
    """The config text with `urusan` for every OPD and [rujukan] naming the demo's lists."""
    rows = list(csv.reader(io.StringIO(_text(RPJMD_FILE)), delimiter=";"))[3:]
    by_singkatan: dict[str, set[str]] = {}
    for _, code, _, owners in rows:
        for singkatan in filter(None, (o.strip() for o in owners.split(","))):
            by_singkatan.setdefault(singkatan, set()).add(".".join(code.split(".")[:2]))

    def with_urusan(found: re.Match) -> str:
        entry, kode, singkatan = found.groups()
        bidang = {".".join(kode.split(".")[:2])} | by_singkatan.get(singkatan, set())
        listed = ", ".join(f'"{b}"' for b in sorted(bidang))
        return f"{entry}urusan = [{listed}]\n"

    text = _OPD_ENTRY.sub(with_urusan, text)
    return (f"{text.rstrip()}\n\n# Daftar rujukan demo (fiktif): program RPJMD dan kutipan "
            f"nomenklatur.\n[rujukan]\nrpjmd = \"{RPJMD_FILE}\"\n"
            f"nomenklatur = \"{NOMENCLATURE_FILE}\"\n")
