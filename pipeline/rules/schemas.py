"""pandera schemas built from the config, and the row rules of SPEC section 4.

Every check carries a catalogue code as its `error`, so a failure case maps straight to a
Problem. Two schemas: errors (reject the file) and warnings (reported only). Both are
validated lazily over the rows of many files at once; `_file` and `_row` columns say
where each row came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd
import pandera.pandas as pa

from .. import layout
from ..config import Config
from ..read.normalise import valid_nomenclature
from .catalogue import Code

REQUIRED_MISSING = Code.WAJIB_DIISI
NAME_MISSING = Code.ISIAN_TANPA_NAMA_PROGRAM

# Which column a row rule points at, so the participant sees the cell to fix.
_RULE_COLUMN = {
    Code.ELEMEN_BUKAN_DIMENSI: "elemen",
    Code.TIDAK_ADA_RENCANA: "nama_program",
    Code.MANFAAT_WAJIB_QW: "manfaat",
    Code.NAMA_PROGRAM_GANDA: "nama_program",
}


@dataclass(frozen=True)
class Failure:
    index: Any  # frame index of the row
    code: str
    column: str  # column key


def _planned(frame: pd.DataFrame, cfg: Config) -> pd.Series:
    """A row plans a year when it has a target or a budget above 0 (or an unread amount)."""
    targets = frame[[f"target_{y}" for y in cfg.years]].notna().any(axis=1)
    budgets = (frame[[f"anggaran_{y}" for y in cfg.years]].fillna(0) > 0).any(axis=1)
    return targets | budgets | frame["_unread_amount"]


def _quick_win(frame: pd.DataFrame) -> pd.Series:
    return frame["quick_win"] == "Ya"


@lru_cache(maxsize=8)
def error_schema(cfg: Config) -> pa.DataFrameSchema:
    columns: dict[str, pa.Column] = {}
    choices = layout.choice_lists(cfg)
    for column in layout.program_columns(cfg):
        checks = []
        if column.max_len:
            limit = column.max_len
            checks.append(pa.Check(lambda s, n=limit: s.str.len() <= n, ignore_na=True,
                                   error=Code.TEKS_TERLALU_PANJANG))
        if column.key in choices:
            checks.append(pa.Check.isin(choices[column.key], error=Code.PILIHAN_TIDAK_DIKENAL))
        if column.key == "kode_nomenklatur":
            checks.append(pa.Check(valid_nomenclature, element_wise=True, ignore_na=True,
                                   error=Code.KODE_NOMENKLATUR_SALAH))
        if column.kind in ("total", "number"):
            continue
        columns[column.key] = pa.Column(None, nullable=not column.required, checks=checks,
                                        required=False)

    qw_year = cfg.quick_win_year
    exempt = set(cfg.funding_without_budget)
    element_dimension = cfg.element_dimension

    def element_fits(frame: pd.DataFrame) -> pd.Series:
        owner = frame["elemen"].map(element_dimension)
        known = owner.notna() & frame["dimensi"].isin(list(cfg.dimensions))
        return ~known | (owner == frame["dimensi"])

    def qw_target(frame: pd.DataFrame) -> pd.Series:
        return ~(_quick_win(frame) & frame[f"target_{qw_year}"].isna()
                 & ~frame[f"_unread_target_{qw_year}"])

    def qw_budget(frame: pd.DataFrame) -> pd.Series:
        missing = frame[f"anggaran_{qw_year}"].fillna(-1) == 0
        return ~(_quick_win(frame) & missing & ~frame["sumber_dana"].isin(exempt))

    checks = [
        pa.Check(element_fits, error=Code.ELEMEN_BUKAN_DIMENSI),
        pa.Check(lambda f: _planned(f, cfg), error=Code.TIDAK_ADA_RENCANA),
        pa.Check(qw_target, error=Code.QW_TANPA_TARGET),
        pa.Check(qw_budget, error=Code.QW_TANPA_ANGGARAN),
        pa.Check(lambda f: ~(_quick_win(f) & f["manfaat"].isna()), error=Code.MANFAAT_WAJIB_QW),
    ]
    return pa.DataFrameSchema(columns, checks=checks, strict=False, coerce=False)


@lru_cache(maxsize=8)
def warning_schema(cfg: Config) -> pa.DataFrameSchema:
    small = cfg.small_money
    columns = {
        "deskripsi": pa.Column(None, nullable=False, required=False),
        **{
            f"anggaran_{y}": pa.Column(None, nullable=True, required=False, checks=[
                pa.Check(lambda s: ~((s > 0) & (s < small)), ignore_na=True, error=Code.UANG_KECIL),
            ])
            for y in cfg.years
        },
    }
    qw_year = cfg.quick_win_year
    exempt = list(cfg.funding_without_budget)

    def qw_budget_exempt(frame: pd.DataFrame) -> pd.Series:
        missing = frame[f"anggaran_{qw_year}"].fillna(-1) == 0
        return ~(_quick_win(frame) & missing & frame["sumber_dana"].isin(exempt))

    def unique_names(frame: pd.DataFrame) -> pd.Series:
        return ~frame.duplicated(["_file", "_name_key"], keep="first") | frame["_name_key"].isna()

    checks = [
        pa.Check(qw_budget_exempt, error=Code.QW_TANPA_ANGGARAN_NONAPBD),
        pa.Check(unique_names, error=Code.NAMA_PROGRAM_GANDA),
    ]
    return pa.DataFrameSchema(columns, checks=checks, strict=False, coerce=False)


def _failures(schema: pa.DataFrameSchema, frame: pd.DataFrame, cfg: Config) -> list[Failure]:
    try:
        schema.validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    failures: dict[tuple[Any, str, str], Failure] = {}
    qw_year = cfg.quick_win_year
    rule_column = {
        **_RULE_COLUMN,
        Code.QW_TANPA_TARGET: f"target_{qw_year}",
        Code.QW_TANPA_ANGGARAN: f"anggaran_{qw_year}",
        Code.QW_TANPA_ANGGARAN_NONAPBD: f"anggaran_{qw_year}",
    }
    for case in cases.itertuples(index=False):
        if case.index is None or pd.isna(case.index):
            continue  # schema-level (dtype/column) failures: columns are ours, not the user's
        check = str(case.check)
        if case.schema_context == "DataFrameSchema":
            code, column = check, rule_column.get(check, "nama_program")
        elif check == "not_nullable":
            code, column = REQUIRED_MISSING, str(case.column)
            if schema is warning_schema(cfg):
                code = Code.DESKRIPSI_KOSONG
            elif column == "nama_program":
                code = NAME_MISSING
        else:
            code, column = check, str(case.column)
        # pandera repeats a frame-level failure once per column: keep one per row and code.
        failures.setdefault((case.index, code, column), Failure(case.index, code, column))
    return list(failures.values())


def validate(frame: pd.DataFrame, cfg: Config) -> list[Failure]:
    """All failures of all rows; a row without a name gets only the name problem."""
    if frame.empty:
        return []
    failures = _failures(error_schema(cfg), frame, cfg) + _failures(warning_schema(cfg), frame, cfg)
    nameless = set(frame.index[frame["nama_program"].isna()])
    return [f for f in failures if f.index not in nameless or f.code == NAME_MISSING]
