"""The demo's [rujukan] lists: a fictional RPJMD program list and a nomenclature excerpt.

Both are package data written for the demo (`rujukan_rpjmd.csv`, `rujukan_nomenklatur.csv`,
in the layout the Bappeda's files have: a title above the header, the 2019 two-digit
sub kegiatan for one bidang); not copies of any published file. With the default
config, the demo copies the RPJMD list into the workspace and writes the nomenclature as
a regency has it: a SIPD flat rekap (`rujukan_nomenklatur_sipd.xlsx`, one spending line
per sub kegiatan under the OPD of its bidang, fictional pagu; demo/sipd.py), names both
under [rujukan] and gives each OPD the bidang urusan of its code and of its RPJMD
programs (`[[opd]] urusan`).
"""

from __future__ import annotations

import csv
import io
import random
import re
import tomllib
from dataclasses import replace
from importlib import resources
from pathlib import Path

from .sipd import RekapLayout, nomenclature_lines, write_flat_rekap

RPJMD_FILE = "rujukan_rpjmd.csv"
NOMENCLATURE_FILE = "rujukan_nomenklatur.csv"  # package data: the list, code and name
NOMENCLATURE_REKAP = "rujukan_nomenklatur_sipd.xlsx"  # what the workspace gets
FILES = (RPJMD_FILE, NOMENCLATURE_REKAP)  # what a demo workspace holds of them
REKAP_TITLE = ("REKAPITULASI RINCIAN BELANJA PER SUB KEGIATAN (FIKTIF, UNTUK DEMO "
               "masterplan)",)
_OPD_ENTRY = re.compile(r'(kode = "([^"]+)"\nnama = "[^"]+"\nsingkatan = "([^"]+)"\n)')


def _text(name: str) -> str:
    return (resources.files(__package__) / name).read_text("utf-8")


def copy_lists(root: Path, config_text: str) -> None:
    """The RPJMD list as it is; the nomenclature as a SIPD flat rekap of the config's
    first year, each sub kegiatan under the OPD whose code shares its bidang (else the
    first OPD), its SKPD code in the long form (OPD 1.02.01 is 1.02.0.00.0.00.01.0000)."""
    (root / RPJMD_FILE).write_text(_text(RPJMD_FILE), "utf-8")
    config = tomllib.loads(config_text)
    opds = [(o["kode"], o["nama"]) for o in config["opd"]]
    by_bidang: dict[str, tuple[str, str]] = {}
    for kode, nama in opds:
        by_bidang.setdefault(".".join(kode.split(".")[:2]), _skpd(kode, nama))
    listed = list(csv.reader(io.StringIO(_text(NOMENCLATURE_FILE)), delimiter=";"))[3:]
    entries = [(row[0], row[1]) for row in listed]
    rng = random.Random("nomenklatur-demo")
    lines = [replace(line, skpd=by_bidang.get(line.code(2), _skpd(*opds[0])),
                     amount=rng.randrange(5, 400) * 5_000_000)
             for line in nomenclature_lines(entries, year=config["periode"]["tahun_awal"])]
    write_flat_rekap(root / NOMENCLATURE_REKAP, lines, RekapLayout(title_lines=REKAP_TITLE))


def _skpd(kode: str, nama: str) -> tuple[str, str]:
    """An OPD code A.BB.GG in the long SKPD form A.BB.0.00.0.00.GG.0000."""
    parts = kode.split(".")
    unit = parts[2] if len(parts) > 2 else "01"
    return f"{parts[0]}.{parts[1]}.0.00.0.00.{unit}.0000", nama


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
            f"nomenklatur = \"{NOMENCLATURE_REKAP}\"\n")
