"""The rule engine: row and column rules declared once each, run through pandera.

A `Rule` is one declaration: its catalogue `Code` (the severity and the message come from
the catalogue), the column(s) it marks, a vectorised check saying which rows pass, and how
to build the message parameters of a failing cell. The rules of one file kind form a
`Rulebook` (plan rules and evaluation rules: pipeline.rules.schemas); each book becomes one
pandera `DataFrameSchema` whose every check is named by its rule's code, so a failure case
maps back to its rule by that name. Rows of many files are validated at once; `_file` and
`_row` say where each row came from. Cell-level parsing (amounts, numbers, choices) stays
in the readers: a cell that could not be read already has its problem, and a column rule
does not judge it again (the frame flags it in `_unread_<column>`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd
import pandera.pandas as pa

from .. import layout
from ..catalogue import Code, Problem
from ..config import Config
from ..read.normalise import clean_text
from ..read.reading import cell_problem


@dataclass(frozen=True)
class Failing:
    """A failing cell, as a rule's message sees it."""

    record: dict[str, Any]  # the row's normalised values
    column: layout.Column
    value: Any  # the cell as typed (clean text)
    cfg: Config
    rows: Mapping[int, dict[str, Any]]  # the file's normalised rows by Excel row


def as_typed(failing: Failing) -> tuple[Any, dict[str, Any]]:
    """The default message: the typed value, no parameters."""
    return failing.value, {}


@dataclass(frozen=True)
class Rule:
    """One row or column rule.

    on="column": `check(series, cfg)` is run on each of `columns`, blank cells pass unless
    `blank_fails`; `element_wise`: check(value) per non-blank cell instead.
    on="row": `check(frame, cfg)` is run once; a failing row is marked at `columns[0]`.
    `columns` is a tuple of column keys or a function of the config giving them.
    `message(failing)` gives the value shown and the message parameters.
    `drops_value`: a failing cell's value is not kept in the row (it is not usable).
    """

    code: Code
    columns: tuple[str, ...] | Callable[[Config], Iterable[str]]
    check: Callable[..., Any]
    on: str = "column"
    blank_fails: bool = False
    element_wise: bool = False
    message: Callable[[Failing], tuple[Any, dict[str, Any]]] = as_typed
    drops_value: bool = False

    def column_keys(self, cfg: Config) -> tuple[str, ...]:
        return tuple(self.columns(cfg) if callable(self.columns) else self.columns)


@dataclass(frozen=True)
class Rulebook:
    """The rules of one file kind, in the order their problems are reported."""

    kind: str  # layout.KIND_PLAN / KIND_EVALUATION
    sheet: str
    columns: Callable[[Config], list[layout.Column]]
    rules: tuple[Rule, ...]
    # A row without a name gets only the name problem (this code), the rest is noise.
    nameless_only: Code | None = None
    # Failures in a column missing from the sheet are dropped: the header problem says it.
    skip_missing_columns: bool = False
    by_code: dict[str, Rule] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code = {rule.code: rule for rule in self.rules}
        if len(by_code) != len(self.rules):
            raise ValueError(f"{self.kind}: one rule per code")
        object.__setattr__(self, "by_code", by_code)

    def __hash__(self) -> int:
        return hash(self.kind)


@dataclass(frozen=True)
class Failure:
    index: Any  # frame index of the row
    code: str
    column: str  # column key


def _pandera_check(rule: Rule, cfg: Config) -> pa.Check:
    """The rule as a pandera check named (and reported) by its code."""
    if rule.element_wise:
        return pa.Check(rule.check, element_wise=True, ignore_na=True, name=rule.code,
                        error=rule.code)
    return pa.Check(lambda data: rule.check(data, cfg), name=rule.code, error=rule.code,
                    ignore_na=not rule.blank_fails)


@lru_cache(maxsize=8)
def schema(book: Rulebook, cfg: Config) -> pa.DataFrameSchema:
    """The book's pandera schema: column checks in sheet column order, then row checks."""
    by_column: dict[str, list[pa.Check]] = {}
    for rule in book.rules:
        if rule.on == "column":
            for key in rule.column_keys(cfg):
                by_column.setdefault(key, []).append(_pandera_check(rule, cfg))
    columns = {c.key: pa.Column(None, nullable=True, required=False, checks=by_column[c.key])
               for c in book.columns(cfg) if c.key in by_column}
    checks = [_pandera_check(rule, cfg) for rule in book.rules if rule.on == "row"]
    return pa.DataFrameSchema(columns, checks=checks, strict=False, coerce=False)


def validate(frame: pd.DataFrame, cfg: Config, book: Rulebook) -> list[Failure]:
    """All rule failures of all rows, one per row, code and column."""
    if frame.empty:
        return []
    try:
        schema(book, cfg).validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    failures: dict[tuple[Any, str, str], Failure] = {}
    for case in cases.itertuples(index=False):
        if case.index is None or pd.isna(case.index):
            continue  # schema-level (dtype/column) failures: columns are ours, not the user's
        rule = book.by_code[str(case.check)]
        if rule.on == "row":
            column = rule.column_keys(cfg)[0]
        else:
            column = str(case.column)
            unread = f"_unread_{column}"
            if unread in frame.columns and frame.at[case.index, unread]:
                continue  # its reading problem is already reported
        # pandera repeats a row-level failure once per column: keep one per row and code.
        failures.setdefault((case.index, rule.code, column),
                            Failure(case.index, rule.code, column))
    found = list(failures.values())
    if book.nameless_only:
        nameless = set(frame.index[frame["nama_program"].isna()])
        found = [f for f in found if f.index not in nameless or f.code == book.nameless_only]
    return found


def drop_failed_values(book: Rulebook, failures: Iterable[Failure],
                       records: list[dict[str, Any]]) -> None:
    """A value failing a rule that makes it unusable is not kept in its row."""
    for failure in failures:
        if book.by_code[failure.code].drops_value:
            records[failure.index][failure.column] = None


def failure_problem(book: Rulebook, failure: Failure, record: dict[str, Any],
                    raw: dict[str, Any], sheet_columns: dict[str, int], cfg: Config,
                    rows: Mapping[int, dict[str, Any]]) -> Problem:
    """The Problem of one failure, at its cell, with its rule's message parameters."""
    column = {c.key: c for c in book.columns(cfg)}[failure.column]
    failing = Failing(record, column, clean_text(raw.get(failure.column)), cfg, rows)
    value, params = book.by_code[failure.code].message(failing)
    return cell_problem(book.sheet, sheet_columns, failure.code, column, record["_row"],
                        value, **params)
