"""Benchmark inboxes: N OPDs, each with one filled template of 30 programs.

The workspace is made with the project's own code: `pipeline.workspace.init` with the
default config whose `[[opd]]` list is replaced by N generated OPDs ("9.0001",
"OPD Uji 1", ...), `pipeline.write.templates.write_plan_templates` for the templates and
`pipeline.demo.filling.fill_plan` to type the rows in (openpyxl, as a participant's
spreadsheet program would leave them).

The rows are realistic and valid (seeded random names, dimensions, elements, sources,
Quick Wins, 1-8 planned years), with the habits that cost work downstream: some amounts
typed as text ("Rp 1.500.000"), some warnings (empty Deskripsi, a tiny amount), and about
5% of the files with one error each, so feedback workbooks are part of the run. One extra
file (the corrected resubmission of a rejected file) is kept aside in `extra/` for the
"re-run after one new file" step.

Filling is slow (openpyxl loads and saves each template), so it runs in a Pool(2) and
the result is cached: `benchmarks/_work/inbox_<N>/` with a `READY.json` marker. A cache
made by another generator version, seed or config is regenerated.

    python benchmarks/generate.py 40 400
"""

from __future__ import annotations

import json
import multiprocessing
import random
import re
import shutil
import sys
import time
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
GENERATOR_VERSION = 3
SEED = 7
PROGRAMS_PER_FILE = 30
ERROR_EVERY = 20  # one file in 20 (5%) carries an error
# Share of files with a warning (each such file also gets a feedback workbook).
WARN_EMPTY_DESCRIPTION = 0.15
WARN_TINY_AMOUNT = 0.05
MARKER = "READY.json"

VERBS = ("Pengembangan", "Digitalisasi", "Penguatan", "Pembangunan", "Peningkatan",
         "Integrasi", "Modernisasi", "Optimalisasi", "Perluasan", "Penyediaan")
OBJECTS = (
    "Layanan Perizinan Online", "Sistem Informasi Kesehatan Desa", "Aplikasi Pengaduan "
    "Masyarakat", "Dashboard Data Sektoral", "Jaringan Internet Kantor Desa", "Command "
    "Center Kabupaten", "Pasar Digital UMKM", "Bank Sampah Digital", "CCTV Ruang Publik",
    "E-Learning Sekolah Dasar", "Satu Data Kabupaten", "Layanan Administrasi Kependudukan",
    "Sistem Peringatan Dini Banjir", "Pembayaran Retribusi Non Tunai", "Wifi Taman Kota",
    "Portal Pariwisata Pantai", "Aplikasi Posyandu", "Transportasi Angkutan Desa",
    "Pengelolaan Arsip Elektronik", "Perpustakaan Digital", "Pemantauan Kualitas Udara",
    "Kartu Tani Digital", "Layanan Rujukan Puskesmas", "Penerangan Jalan Tenaga Surya",
    "Rumah Kreatif Pemuda",
)
PURPOSES = ("warga desa", "pelaku UMKM", "pelajar dan guru", "nelayan", "wisatawan",
            "aparatur kecamatan", "petani", "pasien Puskesmas")
ACUAN = ("RPJMD: Program Penyelenggaraan Statistik Sektoral",
         "RPD: Program Pengelolaan Aplikasi Informatika",
         "Renstra PD: Program Peningkatan Pelayanan Publik",
         "RPJMD: Program Pemenuhan Upaya Kesehatan Perorangan")
KODE = ("2.16.03", "2.16.02", "2.12.03.2.02", "1.02.02.2.01.0001", "2.16", None)
SATUAN = (("%", 60, 100), ("unit", 2, 40), ("desa", 5, 120), ("orang", 100, 5000),
          ("dokumen", 1, 10), ("aplikasi", 1, 5))
PLANNERS = ("Rina Simanjuntak", "Budi Pasaribu", "Sri Hutagalung", "Ahmad Tanjung",
            "Maria Sitompul", "Yusuf Nasution", "Dewi Panggabean", "Hendra Sihombing")
JABATAN = ("Perencana Ahli Muda", "Kasubbag Perencanaan", "Analis Kebijakan",
           "Pranata Komputer")


# --- config ---------------------------------------------------------------------------------

def opd_code(i: int) -> str:
    return f"9.{i:04d}"


def config_text(n: int) -> str:
    """The default config with its [[opd]] list replaced by n generated OPDs."""
    from pipeline.config import default_text

    text = default_text()
    text = re.sub(r"^\[\[opd\]\]\n(?:(?!\[).*\n?)*", "", text, flags=re.M).rstrip() + "\n"
    blocks = [f'\n[[opd]]\nkode = "{opd_code(i)}"\nnama = "OPD Uji {i}"\nsingkatan = "Uji{i}"\n'
              for i in range(1, n + 1)]
    text += "".join(blocks)
    from pipeline.config import parse

    cfg = parse(tomllib.loads(text))
    if len(cfg.opds) != n:
        raise RuntimeError(f"config has {len(cfg.opds)} OPDs, wanted {n}")
    return text


# --- rows -------------------------------------------------------------------------------

def _dotted(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def plan_rows(cfg, rng: random.Random, with_error: bool) -> list[dict[str, Any]]:
    """30 valid, varied programs; a few warnings; one error when with_error."""
    years = cfg.years
    dims = list(cfg.dimensions)
    names = rng.sample([(v, o) for v in VERBS for o in OBJECTS], PROGRAMS_PER_FILE)
    quick = set(rng.sample(range(PROGRAMS_PER_FILE), rng.choice((1, 2, 3))))
    rows = []
    for index, (verb, obj) in enumerate(names):
        dimension = rng.choice(dims)
        satuan, low, high = rng.choice(SATUAN)
        is_quick = index in quick
        source = rng.choice(cfg.funding_sources[:5]) if rng.random() < 0.85 \
            else rng.choice(cfg.funding_sources)
        row: dict[str, Any] = {
            "nama_program": f"{verb} {obj}",
            "deskripsi": f"{verb} {obj.lower()} untuk {rng.choice(PURPOSES)} di "
                         f"{rng.randint(2, 20)} kecamatan.",
            "dimensi": dimension,
            "elemen": rng.choice(cfg.dimensions[dimension]),
            "jenis_program": rng.choice(cfg.program_types),
            "acuan": rng.choice(ACUAN),
            "kode_nomenklatur": rng.choice(KODE),
            "opd_pendukung": "Diskominfo" if rng.random() < 0.4 else None,
            "sumber_dana": source,
            "quick_win": "Ya" if is_quick else rng.choice(("Tidak", "Tidak", None)),
            "indikator": f"Jumlah {satuan} yang terlayani {obj.lower()}",
            "satuan": satuan,
            "kondisi_awal": str(rng.randint(0, low)),
            "manfaat": f"{obj} dirasakan langsung oleh {rng.choice(PURPOSES)}."
                       if is_quick else None,
            "keterangan": "Bertahap" if rng.random() < 0.2 else None,
        }
        span = rng.randint(1, 8)
        start = 0 if is_quick else rng.randint(0, len(years) - span)
        base = rng.choice((50, 75, 150, 250, 400, 900, 1500)) * 10**6
        for step, year in enumerate(years[start:start + span]):
            row[f"target_{year}"] = round(low + (high - low) * (step + 1) / span)
            amount = int(base * rng.uniform(0.9, 1.2) * 1.05 ** step) // 10**6 * 10**6
            # Participants often type the amount as text, the Indonesian way.
            row[f"anggaran_{year}"] = f"Rp {_dotted(amount)}" if rng.random() < 0.12 \
                else amount
        rows.append({k: v for k, v in row.items() if v is not None})

    # Warnings (reported, file still accepted): an empty Deskripsi, a tiny amount.
    if rng.random() < WARN_EMPTY_DESCRIPTION:
        rows[rng.randrange(len(rows))].pop("deskripsi", None)
    if rng.random() < WARN_TINY_AMOUNT:
        row = rows[rng.randrange(len(rows))]
        budget = [k for k in row if k.startswith("anggaran_")]
        if budget:
            row[budget[0]] = 500
    if with_error:
        row = rows[rng.randrange(len(rows))]
        kind = rng.randrange(3)
        if kind == 0:  # an element of another dimension
            other = next(d for d in dims if d != row["dimensi"])
            row["elemen"] = cfg.dimensions[other][0]
        elif kind == 1:  # money that cannot be read
            key = next(k for k in row if k.startswith("anggaran_"))
            row[key] = "satu setengah juta"
        else:  # a funding source not in the list
            row["sumber_dana"] = "APBDes"
    return rows


def identity(rng: random.Random, day: date) -> dict[str, Any]:
    return {"nama_pengisi": rng.choice(PLANNERS),
            "nip": f"19{rng.randint(70, 95)}0{rng.randint(1, 9)}{rng.randint(10, 28)}"
                   f"20{rng.randint(10, 20)}0{rng.randint(1, 9)}{rng.randint(1, 2)}00"
                   f"{rng.randint(1, 9)}",
            "jabatan": rng.choice(JABATAN),
            "kontak": f"0812 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
            "tanggal": day}


# --- generation ----------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def _init_worker(cfg_text: str, root: str) -> None:
    from pipeline.config import parse

    _STATE["cfg"] = parse(tomllib.loads(cfg_text))
    _STATE["root"] = Path(root)


def has_error(i: int) -> bool:
    return i % ERROR_EVERY == 7


def _make(i: int) -> str:
    """File i (1-based); i = 0 is the extra file (a corrected resubmission)."""
    from pipeline.demo.filling import fill_plan
    from pipeline.layout import template_filename
    from pipeline.write.templates import write_plan_templates

    cfg, root = _STATE["cfg"], _STATE["root"]
    extra = i == 0
    # The extra file re-submits the first rejected OPD (OPD 7), corrected.
    owner = 7 if extra else i
    opd = cfg.opd_by_code[opd_code(owner)]
    template = root / "templates_xlsx" / template_filename(opd)
    if not template.exists():
        write_plan_templates(cfg, template.parent, [opd.kode],
                             now=datetime(2023, 11, 1, tzinfo=UTC))
    rng = random.Random(SEED * 1_000_003 + owner)
    rows = plan_rows(cfg, rng, with_error=has_error(owner) and not extra)
    ident = identity(rng, date(cfg.quick_win_year - 1, 11, 12))
    stem = f"{opd.kode}_{opd.singkatan}_rencana"
    out = root / "extra" / f"{stem}_revisi.xlsx" if extra else root / "inbox" / f"{stem}.xlsx"
    fill_plan(template, out, rows, ident)
    return out.name


def ensure_inbox(n: int, echo=print) -> Path:
    """benchmarks/_work/inbox_<n>/: a workspace with n filled files, made once."""
    root = WORK / f"inbox_{n}"
    text = config_text(n)
    want = {"generator": GENERATOR_VERSION, "seed": SEED, "n": n,
            "programs_per_file": PROGRAMS_PER_FILE}
    marker = root / MARKER
    if marker.exists():
        found = json.loads(marker.read_text())
        if {k: found.get(k) for k in want} == want and \
                (root / "masterplan.toml").read_text("utf-8") == text:
            return root
        echo(f"  cache {root.name} is stale; regenerating")
    if root.exists():
        shutil.rmtree(root)
    from pipeline.workspace import init

    init(root, config_text=text)
    (root / "extra").mkdir()
    # Templates are written by the workers, one per OPD, right before filling it; the
    # extra file's OPD (7) is already among the first files, so write its template first.
    from pipeline.config import parse
    from pipeline.write.templates import write_plan_templates

    cfg = parse(tomllib.loads(text))
    if n >= 7:
        write_plan_templates(cfg, root / "templates_xlsx", [opd_code(7)],
                             now=datetime(2023, 11, 1, tzinfo=UTC))
    started = time.perf_counter()
    jobs = [*range(1, n + 1), 0] if n >= 7 else list(range(1, n + 1))
    with multiprocessing.get_context("fork").Pool(2, _init_worker, (text, str(root))) as pool:
        for done, _ in enumerate(pool.imap_unordered(_make, jobs, chunksize=4), start=1):
            if done % 100 == 0 or done == len(jobs):
                echo(f"  generated {done}/{len(jobs)} files "
                     f"({time.perf_counter() - started:.0f} s)")
    seconds = time.perf_counter() - started
    marker.write_text(json.dumps({**want, "seconds": round(seconds, 1),
                                  "errors": sum(has_error(i) for i in range(1, n + 1)),
                                  "made": datetime.now().isoformat(timespec="seconds")},
                                 indent=2))
    echo(f"  {root.name}: {n} files + 1 extra in {seconds:.0f} s")
    return root


if __name__ == "__main__":
    for size in sys.argv[1:] or ["40"]:
        ensure_inbox(int(size))
