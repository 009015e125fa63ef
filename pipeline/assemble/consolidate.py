"""Consolidate the accepted programs of every OPD into the tables of the masterplan book.

Input: the OPD statuses and the program rows of each OPD's counted file (the newest
accepted one). Output: a `Consolidated` holding the wide program table (`tidy()` makes
the program x year table from it), the budget matrices (category x year, with Total row
and column), the Quick Win list, the headline figures and the warnings the expert must
see. Pure pandas, vectorised: no Python loop over program rows, so 2,000 OPDs x 30
programs stays well under a second or two.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

import numpy as np
import pandas as pd

from .. import layout
from ..config import Config
from ..results import Holdings, OpdStatus, PlanStatus

TOTAL = "Total"
EMPTY_LABEL = "(kosong)"  # a blank category value (only possible with a hand-edited ledger)

# Columns put in front of the program columns in the wide table.
OPD_COLUMNS = ["opd_kode", "opd_singkatan", "opd_nama", "file", "row"]
# Columns of the tidy (program x year) table, in order.
TIDY_COLUMNS = [
    "opd_kode", "opd_singkatan", "nama_program", "dimensi", "elemen", "jenis_program",
    "sumber_dana", "quick_win", "tahun", "target", "anggaran", "file", "row",
]
QUICK_WIN_COLUMNS = [
    "opd_kode", "opd_singkatan", "dimensi", "elemen", "nama_program", "anggaran", "target",
    "satuan", "indikator", "manfaat", "file", "row",
]


class Headline(TypedDict):
    """The headline figures (a plain dict at run time, e.g. for JSON and the console)."""

    opd_expected: int  # OPDs in the config
    opd_submitted: int  # OPDs that sent any file (accepted or not)
    opd_accepted: int  # OPDs with a file in the consolidation
    programs: int
    quick_wins: int
    total_budget: int  # Rupiah over the whole period


@dataclass
class Consolidated:
    years: list[int]
    quick_win_year: int
    wide: pd.DataFrame  # one row per program: OPD_COLUMNS + program columns (layout order)
    # Budget matrices: index = category (Elemen: (Dimensi, Elemen)), columns = years (int)
    # + "Total"; the last row is the "Total" row. Whole Rupiah, int64.
    by_dimension: pd.DataFrame
    by_opd: pd.DataFrame  # index: OPD singkatan (made unique with the code if needed)
    by_funding: pd.DataFrame
    by_element: pd.DataFrame
    by_type: pd.DataFrame
    quick_wins: pd.DataFrame  # QUICK_WIN_COLUMNS, grouped by dimension in config order
    headline: Headline
    warnings: list[str] = field(default_factory=list)  # Indonesian sentences
    # Per RPJMD/RPD program, the masterplan programs referring to it (rpjmd_alignment);
    # None without a [rujukan] rpjmd list.
    alignment: pd.DataFrame | None = None

    @property
    def matrices(self) -> dict[str, pd.DataFrame]:
        return {"dimensi": self.by_dimension, "opd": self.by_opd,
                "sumber_dana": self.by_funding, "elemen": self.by_element,
                "jenis_program": self.by_type}


def program_keys(cfg: Config) -> list[str]:
    """The program columns of the wide table, in template order.

    The template's `No` is the participant's own row counter; the source `row` (Excel
    row number) identifies a program instead, so `No` is left out.
    """
    return [c.key for c in layout.program_columns(cfg) if c.key != "no"]


def budget_keys(cfg: Config) -> list[str]:
    return [f"anggaran_{y}" for y in cfg.years]


def target_keys(cfg: Config) -> list[str]:
    return [f"target_{y}" for y in cfg.years]


def of_counted_plans(cfg: Config, held: Holdings) -> tuple[Consolidated, list[dict]]:
    """The consolidation of the counted plans, and the files it is based on."""
    basis = [{"file": s.counted_file, "opd": s.kode, "sha256": s.counted_sha256,
              "received_at": s.counted_received_at} for s in held.statuses if s.counted_sha256]
    return build(cfg, held.statuses, held.programs), basis


def build(cfg: Config, statuses: list[OpdStatus],
          programs: list[tuple[str, dict]]) -> Consolidated:
    """Consolidate the programs of the counted files (see the module docstring)."""
    wide = _wide(cfg, statuses, programs)
    return Consolidated(
        years=cfg.years,
        quick_win_year=cfg.quick_win_year,
        wide=wide,
        by_dimension=_matrix(cfg, wide, "dimensi", list(cfg.dimensions), "Dimensi"),
        by_opd=_opd_matrix(cfg, wide),
        by_funding=_matrix(cfg, wide, "sumber_dana", list(cfg.funding_sources), "Sumber Dana"),
        by_element=_matrix(cfg, wide, ["dimensi", "elemen"],
                           [(d, e) for d, els in cfg.dimensions.items() for e in els],
                           ["Dimensi", "Elemen"]),
        by_type=_matrix(cfg, wide, "jenis_program", list(cfg.program_types), "Jenis Program"),
        quick_wins=_quick_wins(cfg, wide),
        headline=_headline(cfg, statuses, wide),
        warnings=_warnings(cfg, statuses, wide),
        alignment=rpjmd_alignment(cfg, wide),
    )


# --- the program tables ------------------------------------------------------------------

def _wide(cfg: Config, statuses: list[OpdStatus],
          programs: list[tuple[str, dict]]) -> pd.DataFrame:
    keys = program_keys(cfg)
    owners = {s.counted_sha256: s for s in statuses if s.counted_sha256}
    shas = pd.Series([sha for sha, _ in programs], dtype=object)
    unknown = sorted(set(shas) - set(owners))
    if unknown:
        raise ValueError(f"program rows of files no OPD counts: {unknown[:3]}")

    frame = pd.DataFrame.from_records([row for _, row in programs], columns=[*keys, "row"])
    frame = frame.astype(object)
    wide = pd.DataFrame({
        "opd_kode": shas.map({sha: s.kode for sha, s in owners.items()}),
        "opd_singkatan": shas.map({sha: s.singkatan for sha, s in owners.items()}),
        "opd_nama": shas.map({sha: s.nama for sha, s in owners.items()}),
        "file": shas.map({sha: s.counted_file for sha, s in owners.items()}),
        "row": pd.to_numeric(frame["row"]).astype("Int64"),
    }, index=frame.index)
    budgets, targets = budget_keys(cfg), target_keys(cfg)
    for key in keys:
        column = frame[key]
        if key in budgets:
            wide[key] = pd.to_numeric(column).fillna(0).astype("int64")
        elif key in targets:
            wide[key] = pd.to_numeric(column).astype("float64")
        elif key == "total_anggaran":
            # Recomputed from the year columns: the one definition of a program's total.
            wide[key] = wide[budgets].sum(axis=1).astype("int64") if budgets else 0
        else:  # text: str or None (object dtype keeps None, which writers treat as blank)
            wide[key] = column.where(column.notna(), None)
    wide["quick_win"] = wide["quick_win"].fillna("Tidak")
    if cfg.references is not None:
        _add_references(cfg, wide)

    # OPDs in config order, each OPD's rows in the order of its file.
    order = {o.kode: i for i, o in enumerate(cfg.opds)}
    position = wide["opd_kode"].map(order).fillna(len(order)).to_numpy()
    wide = wide.iloc[np.argsort(position, kind="stable")].reset_index(drop=True)
    return wide


# Columns the [rujukan] lists add to the wide table (and program.csv), after the program's.
NOMENCLATURE_COLUMNS = ["kode_nomenklatur_baku", "nama_nomenklatur"]
RPJMD_COLUMN = "program_rpjmd"
# The name shown for a code a sub kegiatan list holds only through its sub kegiatan.
DERIVED_NAME = "(tanpa nama di daftar; diturunkan dari kode di bawahnya)"


def _add_references(cfg: Config, wide: pd.DataFrame) -> None:
    """The normalised code and its official name, and the RPJMD program each reference was
    taken as (read.matching: the same decisions as the rules)."""
    from ..read import matching

    refs = cfg.references
    if refs.nomenclature is not None:
        found = [matching.lookup_code(refs, v) if v else (None, None)
                 for v in wide["kode_nomenklatur"]]
        wide[NOMENCLATURE_COLUMNS[0]] = [code if name is not None else None
                                         for code, name in found]
        # "": a code the list holds only through the codes below it (read.sipd)
        wide[NOMENCLATURE_COLUMNS[1]] = [DERIVED_NAME if name == "" else name
                                         for _, name in found]
    if refs.rpjmd is not None:
        matches = [matching.match_rpjmd(refs, text, opd)
                   for text, opd in zip(wide["acuan"], wide["opd_kode"], strict=True)]
        wide[RPJMD_COLUMN] = [m.program.name if m.program else None for m in matches]


ALIGNMENT_COLUMNS = ["program_rpjmd", "kode", "opd", "programs", "anggaran", "opd_perujuk"]


def rpjmd_alignment(cfg: Config, wide: pd.DataFrame) -> pd.DataFrame | None:
    """Per RPJMD program (list order): its code and OPDs (singkatan), the masterplan
    programs referring to it, their budget over the period and the OPDs they come from.
    None without a [rujukan] rpjmd list."""
    if cfg.references is None or cfg.references.rpjmd is None:
        return None
    singkatan = {o.kode: o.singkatan for o in cfg.opds}
    taken = wide[wide[RPJMD_COLUMN].notna()] if RPJMD_COLUMN in wide else wide.iloc[0:0]
    groups = {name: part for name, part in taken.groupby(RPJMD_COLUMN, sort=False)}
    rows = []
    for program in cfg.references.rpjmd:
        part = groups.get(program.name)
        rows.append({
            "program_rpjmd": program.name, "kode": program.code or None,
            "opd": ", ".join(singkatan.get(o, o) for o in program.opds) or None,
            "programs": 0 if part is None else len(part),
            "anggaran": 0 if part is None else int(part["total_anggaran"].sum()),
            "opd_perujuk": None if part is None else
            ", ".join(dict.fromkeys(part["opd_singkatan"].astype(str))),
        })
    return pd.DataFrame(rows, columns=ALIGNMENT_COLUMNS)


def tidy(years: list[int], wide: pd.DataFrame) -> pd.DataFrame:
    """The tidy table of `wide`: one row per program and year, TIDY_COLUMNS (and the
    [rujukan] columns when the wide table has them).

    Ten times the rows of the wide table, so it is built only to be written (and in
    slices of the wide table when that is large: see rekap.write_data).
    """
    n = len(years)
    data: dict[str, object] = {}
    # With [rujukan] lists, their columns follow (as in program.csv).
    extra = [c for c in (*NOMENCLATURE_COLUMNS, RPJMD_COLUMN) if c in wide]
    for column in [*TIDY_COLUMNS, *extra]:
        if column == "tahun":
            data[column] = np.tile(np.asarray(years, dtype="int64"), len(wide))
        elif column == "target":
            data[column] = wide[[f"target_{y}" for y in years]].to_numpy(
                dtype="float64").ravel()
        elif column == "anggaran":
            data[column] = wide[[f"anggaran_{y}" for y in years]].to_numpy(
                dtype="int64").ravel()
        else:  # program-level column: repeated once per year, program-major order
            data[column] = np.repeat(wide[column].to_numpy(), n)
    table = pd.DataFrame(data)
    table["row"] = table["row"].astype("Int64")
    return table


# --- matrices ----------------------------------------------------------------------------

def _matrix(cfg: Config, wide: pd.DataFrame, by: str | list[str], categories: list,
            names: str | list[str]) -> pd.DataFrame:
    """Budget per category and year; every configured category, in config order.

    A category outside the config (cannot happen for judged files, but a total must
    never silently lose money) is appended after the configured ones.
    """
    budgets = budget_keys(cfg)
    keys = [by] if isinstance(by, str) else by
    frame = wide[keys + budgets].copy()
    for key in keys:
        frame[key] = frame[key].fillna(EMPTY_LABEL)
    sums = frame.groupby(keys if len(keys) > 1 else keys[0], sort=False)[budgets].sum()
    known = set(categories)
    extra = [k for k in sums.index if k not in known]
    if len(keys) > 1:
        index = pd.MultiIndex.from_tuples(categories + extra, names=names)
    else:
        index = pd.Index(categories + extra, name=names, dtype=object)
    return _with_totals(sums.reindex(index, fill_value=0), cfg.years,
                        (TOTAL,) + ("",) * (len(keys) - 1) if len(keys) > 1 else TOTAL)


def _opd_matrix(cfg: Config, wide: pd.DataFrame) -> pd.DataFrame:
    """Budget per OPD (every OPD with programs, config order), labelled by singkatan."""
    budgets = budget_keys(cfg)
    sums = wide.groupby("opd_kode", sort=False)[budgets].sum()
    codes = [o.kode for o in cfg.opds if o.kode in sums.index]
    labels = _unique_labels([(k, cfg.opd_by_code[k].singkatan) for k in codes])
    sums = sums.reindex(codes)
    sums.index = pd.Index(labels, name="OPD", dtype=object)
    return _with_totals(sums, cfg.years, TOTAL)


def _unique_labels(pairs: list[tuple[str, str]]) -> list[str]:
    """Singkatan as label; two OPDs sharing one get their code added."""
    counts = pd.Series([s for _, s in pairs], dtype=object).value_counts()
    return [s if counts[s] == 1 else f"{s} ({k})" for k, s in pairs]


def _with_totals(sums: pd.DataFrame, years: list[int], total_label) -> pd.DataFrame:
    matrix = sums.astype("int64")
    matrix.columns = list(years)
    matrix[TOTAL] = matrix.sum(axis=1)
    totals = matrix.sum(axis=0).astype("int64")
    if isinstance(matrix.index, pd.MultiIndex):
        total_index = pd.MultiIndex.from_tuples([total_label], names=matrix.index.names)
    else:
        total_index = pd.Index([total_label], name=matrix.index.name, dtype=object)
    total_row = pd.DataFrame([totals.to_numpy()], columns=matrix.columns, index=total_index)
    return pd.concat([matrix, total_row]).astype("int64")


# --- Quick Win, headline, warnings --------------------------------------------------------

def _quick_wins(cfg: Config, wide: pd.DataFrame) -> pd.DataFrame:
    year = cfg.quick_win_year
    chosen = wide[wide["quick_win"] == "Ya"]
    table = pd.DataFrame({
        "opd_kode": chosen["opd_kode"], "opd_singkatan": chosen["opd_singkatan"],
        "dimensi": chosen["dimensi"], "elemen": chosen["elemen"],
        "nama_program": chosen["nama_program"],
        "anggaran": chosen[f"anggaran_{year}"].astype("int64"),
        "target": chosen[f"target_{year}"].astype("float64"),
        "satuan": chosen["satuan"], "indikator": chosen["indikator"],
        "manfaat": chosen["manfaat"], "file": chosen["file"], "row": chosen["row"],
    }, columns=QUICK_WIN_COLUMNS)
    # Grouped by dimension in config order; within it, OPD order as in the wide table.
    rank = {d: i for i, d in enumerate(cfg.dimensions)}
    position = table["dimensi"].map(rank).fillna(len(rank)).to_numpy()
    return table.iloc[np.argsort(position, kind="stable")].reset_index(drop=True)


def accepted(status: OpdStatus) -> bool:
    return status.status == PlanStatus.ACCEPTED or bool(status.counted_sha256)


def _submitted(cfg: Config, statuses: list[OpdStatus]) -> int:
    return sum(s.status != PlanStatus.MISSING for s in statuses if s.kode in cfg.opd_by_code)


def _headline(cfg: Config, statuses: list[OpdStatus], wide: pd.DataFrame) -> Headline:
    return Headline(
        opd_expected=len(cfg.opds),
        opd_submitted=_submitted(cfg, statuses),
        opd_accepted=sum(accepted(s) for s in statuses),
        programs=len(wide),
        quick_wins=int((wide["quick_win"] == "Ya").sum()),
        total_budget=int(wide["total_anggaran"].sum()),
    )


def _warnings(cfg: Config, statuses: list[OpdStatus], wide: pd.DataFrame) -> list[str]:
    warnings: list[str] = []
    if wide.empty:
        warnings.append("Belum ada program yang diterima; rekap ini masih kosong.")
    with_programs = set(wide["dimensi"].dropna())
    with_quick_win = set(wide.loc[wide["quick_win"] == "Ya", "dimensi"].dropna())
    for dimension in cfg.dimensions:
        if dimension not in with_programs:
            warnings.append(f"Dimensi {dimension} belum memiliki program maupun Quick Win.")
        elif dimension not in with_quick_win:
            warnings.append(f"Dimensi {dimension} belum memiliki program Quick Win untuk "
                            f"tahun {cfg.quick_win_year}.")
    per_year = wide[budget_keys(cfg)].sum(axis=0)
    for year in cfg.years:
        if per_year[f"anggaran_{year}"] == 0:
            warnings.append(f"Tahun {year} belum memiliki anggaran sama sekali (Rp 0 di "
                            "semua program).")
    # Counted against the config, so an OPD absent from `statuses` counts as missing too.
    submitted = {s.kode for s in statuses if s.status != PlanStatus.MISSING}
    missing = [o.singkatan for o in cfg.opds if o.kode not in submitted]
    if missing:
        warnings.append(f"{len(missing)} dari {len(cfg.opds)} OPD belum mengumpulkan berkas: "
                        f"{', '.join(missing)}.")
    revising = [s.singkatan for s in statuses if s.status is PlanStatus.REVISE]
    if revising:
        warnings.append(f"{len(revising)} OPD perlu revisi (berkas terakhirnya ditolak; rekap "
                        f"memakai berkas lama yang diterima bila ada): {', '.join(revising)}.")
    return warnings
