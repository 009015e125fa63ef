"""What the demo's planners write: program ideas from content.toml, turned into rows.

The content (each OPD's ideas, the planners' names, positions and remarks) is the data file
`content.toml` beside this module, shipped as package data so `masterplan demo` works from
a plain install. This module turns an OPD's ideas into the rows its planner types, with
the habits planners differ in.
"""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..config import Config, Opd
from ..read.normalise import key

JT = 10**6  # juta
M = 10**9  # miliar

# The default config's names; an idea naming something the config lacks falls back
# gracefully (see _dimension_and_element, config_choice).
GOV, BRAND, ECON = "Smart Governance", "Smart Branding", "Smart Economy"
LIVING, SOCIETY, ENV = "Smart Living", "Smart Society", "Smart Environment"


@dataclass(frozen=True, kw_only=True)
class Idea:
    """One program an OPD's planner would write down.

    `anggaran` is a typical yearly budget in whole Rupiah; targets ramp from `awal` to
    `akhir` over the planned years (or stay at `akhir` each year when `tetap`). A
    `manfaat` (benefit citizens feel) makes the idea a Quick Win candidate. Texts may
    use {wilayah} (the region's short name) and {singkatan} (the OPD's).
    """

    nama: str
    deskripsi: str
    dimensi: str
    elemen: str
    jenis: str
    acuan: str  # RPJMD/RPD program (Permendagri 90/2019 nomenclature)
    indikator: str
    satuan: str
    akhir: float
    anggaran: int
    awal: float | None = None  # no starting value
    kode: str | None = None
    pendukung: str | None = None
    dana: str = "APBD Kabupaten"
    manfaat: str | None = None
    tahun: int = 10  # years planned; fewer for a one-off build
    tetap: bool = False


# Read through importlib.resources: found in a plain install (package data) as in a checkout.
_CONTENT = tomllib.loads((resources.files(__package__) / "content.toml").read_text("utf-8"))
# What each OPD plans, keyed by the default config's singkatan.
IDEAS: dict[str, tuple[Idea, ...]] = {
    singkatan: tuple(Idea(**entry) for entry in entries)
    for singkatan, entries in _CONTENT["ideas"].items()
}
# An OPD the table does not know (another regency's list) still plans sensibly.
GENERIC_IDEAS: tuple[Idea, ...] = tuple(Idea(**entry) for entry in _CONTENT["generic_ideas"])
# Kecamatan are alike: another kecamatan in the config plans what Kec. Pandan plans.
_KECAMATAN_IDEAS = IDEAS["Kec. Pandan"]
PLANNERS: tuple[str, ...] = tuple(_CONTENT["planners"])
POSITIONS: tuple[str, ...] = tuple(_CONTENT["positions"])
REMARKS: tuple[str, ...] = tuple(_CONTENT["remarks"])


# --- from ideas to rows -------------------------------------------------------------------

class _Placeholders(dict):
    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def ideas_for(opd: Opd) -> tuple[Idea, ...]:
    """The OPD's program ideas: by singkatan; any kecamatan alike; else generic ones."""
    if opd.singkatan in IDEAS:
        return IDEAS[opd.singkatan]
    if "kecamatan" in opd.nama.casefold():
        return _KECAMATAN_IDEAS
    return GENERIC_IDEAS


def config_choice(options: tuple[str, ...], wanted: str) -> str:
    """The config's spelling of wanted, or its first option when the config lacks it."""
    for option in options:
        if key(option) == key(wanted):
            return option
    return options[0]


def _dimension_and_element(cfg: Config, idea: Idea) -> tuple[str, str]:
    """The element decides (a config may move it); an unknown one falls back gracefully."""
    owner = {key(el): (dim, el) for dim, els in cfg.dimensions.items() for el in els}
    if key(idea.elemen) in owner:
        return owner[key(idea.elemen)]
    dims = list(cfg.dimensions)
    dimension = next((d for d in dims if key(d) == key(idea.dimensi)), None)
    if dimension is None:
        default_order = [GOV, BRAND, ECON, LIVING, SOCIETY, ENV]
        position = default_order.index(idea.dimensi) if idea.dimensi in default_order else 0
        dimension = dims[position % len(dims)]
    return dimension, cfg.dimensions[dimension][0]


def _round_amount(amount: float) -> int:
    """Planners write round numbers: 50 juta steps above a miliar, 5 juta above 100 juta."""
    step = 50 * JT if amount >= M else 5 * JT if amount >= 100 * JT else JT
    return max(step, round(amount / step) * step)


def _target(idea: Idea, step: int, span: int) -> int | float:
    if idea.tetap:
        value: float = idea.akhir
    else:
        start = idea.awal or 0
        value = start + (idea.akhir - start) * (step + 1) / span
    # Whole numbers when the target moves by at least one a year (35 -> 100 %), else
    # two decimals (an index from 2.6 to 4.0).
    spread = abs(idea.akhir - (idea.awal or 0))
    value = round(value) if idea.tetap or spread >= span else round(value, 2)
    return int(value) if float(value).is_integer() else value


def plan_rows(cfg: Config, opd: Opd, rng: random.Random, doc: str) -> list[dict[str, Any]]:
    """The rows this OPD's planner types: its ideas, one or two of them Quick Wins."""
    ideas = ideas_for(opd)
    text = _Placeholders(wilayah=cfg.region_short or cfg.region_name, singkatan=opd.singkatan,
                         nama=opd.nama)
    candidates = [i for i, idea in enumerate(ideas) if idea.manfaat] or [0]
    n_quick = 1 if len(candidates) == 1 else rng.choice((1, 2))
    quick = rng.sample(candidates, n_quick)
    # Habits differ per planner: some type "Tidak", some leave Quick Win blank (= Tidak);
    # some write "-" in the years they do not plan; most name the planning document.
    types_tidak = rng.random() < 0.6
    dash_for_nothing = rng.random() < 0.15
    names_doc = rng.random() < 0.7

    years = cfg.years
    rows = []
    for index, idea in enumerate(ideas):
        is_quick = index in quick
        if is_quick:
            # A Quick Win is carried out in the Quick Win year: plan starts there.
            start = years.index(cfg.quick_win_year)
            span = min(idea.tahun, len(years) - start)
        else:
            span = min(idea.tahun, len(years))
            start = min(rng.choice((0, 0, 0, 1, 2)), len(years) - span)
        growth = 1.05 if span > 3 else 1.0
        dimension, element = _dimension_and_element(cfg, idea)
        acuan = idea.acuan.format_map(text)
        row: dict[str, Any] = {
            "nama_program": idea.nama.format_map(text),
            "deskripsi": idea.deskripsi.format_map(text),
            "dimensi": dimension,
            "elemen": element,
            "jenis_program": config_choice(cfg.program_types, idea.jenis),
            "acuan": f"{doc}: {acuan}" if names_doc else acuan,
            "kode_nomenklatur": idea.kode,
            "opd_pendukung": idea.pendukung.format_map(text) if idea.pendukung else None,
            "sumber_dana": config_choice(cfg.funding_sources, idea.dana),
            "quick_win": "Ya" if is_quick else ("Tidak" if types_tidak else None),
            "indikator": idea.indikator.format_map(text),
            "satuan": idea.satuan,
            "kondisi_awal": idea.awal,
            "manfaat": idea.manfaat.format_map(text) if is_quick and idea.manfaat else None,
            "keterangan": rng.choice(REMARKS) if rng.random() < 0.25 else None,
        }
        if is_quick and not row["manfaat"]:
            row["manfaat"] = f"Layanan {opd.singkatan} lebih cepat dan mudah dirasakan warga."
        for step, year in enumerate(years):
            planned = start <= step < start + span
            if planned:
                k = step - start
                row[f"target_{year}"] = _target(idea, k, span)
                row[f"anggaran_{year}"] = _round_amount(
                    idea.anggaran * rng.uniform(0.9, 1.15) * growth**k)
            elif dash_for_nothing:
                row[f"anggaran_{year}"] = "-"
        rows.append({k: v for k, v in row.items() if v is not None})
    return rows


def planner_identity(rng: random.Random, planner: str, cfg: Config) -> dict[str, Any]:
    """What the planner types on the Identitas sheet: name, NIP, position, phone, date."""
    birth = dt.date(rng.randint(1972, 1994), rng.randint(1, 12), rng.randint(1, 28))
    appointed = f"{rng.randint(max(birth.year + 22, 1998), 2020)}{rng.randint(1, 12):02d}"
    nip = f"{birth:%Y%m%d}{appointed}{rng.randint(1, 2)}{rng.randint(1, 9):03d}"
    phone = f"08{rng.choice(('11', '12', '13', '21', '52', '53'))} " \
            f"{rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
    # The workshop: two days in November before the Quick Win year.
    day = dt.date(cfg.quick_win_year - 1, 11, 12) + dt.timedelta(days=rng.randint(0, 1))
    return {"nama_pengisi": planner, "nip": nip, "jabatan": rng.choice(POSITIONS),
            "kontak": phone, "tanggal": day}

