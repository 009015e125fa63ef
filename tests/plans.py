"""Filled plan workbooks for tests, built through the project's own templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline import layout
from pipeline.config import Config
from pipeline.demo.filling import fill_plan
from pipeline.write import templates

DISDUKCAPIL = "2.12.01"
DINKES = "1.02.01"
DISHUB = "2.15.01"


def good_row(cfg: Config, **overrides: Any) -> dict[str, Any]:
    """A valid program row; override any column key."""
    first = cfg.first_year
    row = {
        "nama_program": "Layanan Akta Kelahiran Terintegrasi Puskesmas",
        "deskripsi": "Akta kelahiran diterbitkan langsung dari Puskesmas.",
        "dimensi": "Smart Governance",
        "elemen": "Pelayanan Publik",
        "jenis_program": "Infostruktur",
        "acuan": "Program Pendaftaran Penduduk",
        "kode_nomenklatur": "2.12.02",
        "sumber_dana": "APBD Kabupaten",
        "quick_win": "Tidak",
        "indikator": "Persentase bayi baru lahir memiliki akta",
        "satuan": "%",
        "kondisi_awal": "60",
        f"target_{first}": 70,
        f"target_{first + 1}": 80,
        f"anggaran_{first}": 150_000_000,
        f"anggaran_{first + 1}": 175_000_000,
        "manfaat": None,
    }
    row.update(overrides)
    return row


def quick_win_row(cfg: Config, **overrides: Any) -> dict[str, Any]:
    qw = cfg.quick_win_year
    return good_row(cfg, **{"quick_win": "Ya", f"target_{qw}": 90,
                            f"anggaran_{qw}": 200_000_000,
                            "manfaat": "Akta terbit 2 hari setelah lahir", **overrides})


def template_for(cfg: Config, folder: Path, opd_code: str) -> Path:
    existing = folder / layout.template_filename(cfg.opd_by_code[opd_code])
    if existing.exists():
        return existing
    return templates.write_plan_templates(cfg, folder, [opd_code])[0]


def make_plan(cfg: Config, folder: Path, out: Path, opd_code: str, rows: list[dict],
              identity: dict | None = None) -> Path:
    """A participant's returned file: the OPD's template filled with rows."""
    template = template_for(cfg, folder, opd_code)
    if identity is None:
        identity = {"nama_pengisi": "Rina Simanjuntak", "nip": "198501012010012001"}
    return fill_plan(template, out, rows, identity)
