"""The rule registry: one declaration per rule, one pandera schema per file kind."""

from __future__ import annotations

import pandas as pd
from plans import good_row

from pipeline import layout
from pipeline.catalogue import Code
from pipeline.rules import registry, schemas


def plan_frame(cfg, rows: list[dict]) -> pd.DataFrame:
    """Normalised plan rows as judge builds them (one file)."""
    records = []
    for number, row in enumerate(rows):
        record = {c.key: None for c in layout.program_columns(cfg)
                  if c.kind not in ("number", "total")}
        record.update(row, _file=0, _row=layout.PROGRAM_FIRST_DATA_ROW + number,
                      _unread_amount=False)
        record.update({f"_unread_target_{y}": False for y in cfg.years})
        record["_name_key"] = record["nama_program"].lower() if record["nama_program"] else None
        records.append(record)
    return pd.DataFrame.from_records(records)


def test_every_rule_has_one_catalogue_entry_and_one_code_per_book():
    for book in (schemas.PLAN, schemas.EVALUATION):
        codes = [rule.code for rule in book.rules]
        assert len(codes) == len(set(codes))
        assert all(isinstance(code, Code) and code in set(Code) for code in codes)


def test_each_check_of_the_schema_is_named_by_its_rules_code(cfg):
    schema = registry.schema(schemas.PLAN, cfg)
    names = {check.name for check in schema.checks}
    names |= {check.name for column in schema.columns.values() for check in column.checks}
    assert names == {rule.code for rule in schemas.PLAN.rules}


def test_failures_map_back_to_rule_and_marked_column(cfg):
    qw = cfg.quick_win_year
    frame = plan_frame(cfg, [
        good_row(cfg),
        good_row(cfg, nama_program="Dua", elemen="Pelayanan Publik", dimensi="Smart Living",
                 deskripsi=None, quick_win="Ya", manfaat=None, **{f"anggaran_{qw}": 500}),
        good_row(cfg, nama_program=None, jenis_program=None),
    ])
    found = {(f.index, f.code, f.column) for f in registry.validate(frame, cfg, schemas.PLAN)}
    assert found == {
        (1, Code.ELEMEN_BUKAN_DIMENSI, "elemen"),
        (1, Code.DESKRIPSI_KOSONG, "deskripsi"),
        (1, Code.MANFAAT_WAJIB_QW, "manfaat"),
        (1, Code.UANG_KECIL, f"anggaran_{qw}"),
        (2, Code.ISIAN_TANPA_NAMA_PROGRAM, "nama_program"),  # nameless: only this one
    }


def test_an_added_rule_is_one_declaration(cfg):
    """A new book with one more rule runs it with no other change to the engine."""
    extra = registry.Rule(Code.KODE_NOMENKLATUR_SALAH, ("satuan",),
                          lambda s, cfg: s != "%")
    book = registry.Rulebook(kind="uji", sheet=layout.SHEET_PROGRAM,
                             columns=layout.program_columns, rules=(extra,))
    frame = plan_frame(cfg, [good_row(cfg), good_row(cfg, satuan="unit")])
    [failure] = registry.validate(frame, cfg, book)
    assert (failure.index, failure.code, failure.column) == (0, Code.KODE_NOMENKLATUR_SALAH,
                                                             "satuan")


def test_evaluation_rules_drop_unusable_values_and_skip_unread_cells(cfg):
    def row(**values):
        base = {"_file": 0, "_row": 5, "_name_key": "a", "nama_program": "A",
                "realisasi_target": 80, "realisasi_anggaran": 1000,
                "jumlah_responden": 200, "kepuasan": 90, "bukti_dukung": None,
                "kendala": None}
        base.update({f"_unread_{k}": False for k in ("realisasi_target", "realisasi_anggaran",
                                                      "jumlah_responden", "kepuasan")})
        return {**base, **values}

    records = [row(), row(kepuasan=0.85), row(jumlah_responden=-3),
               row(kepuasan=None, _unread_kepuasan=True), row(jumlah_responden=5)]
    failures = registry.validate(pd.DataFrame.from_records(records), cfg, schemas.EVALUATION)
    assert {(f.index, f.code) for f in failures} == {
        (1, Code.KEPUASAN_PECAHAN), (2, Code.ANGKA_NEGATIF), (2, Code.RESPONDEN_KURANG),
        (4, Code.RESPONDEN_KURANG)}
    registry.drop_failed_values(schemas.EVALUATION, failures, records)
    assert records[1]["kepuasan"] is None and records[2]["jumlah_responden"] is None
    assert records[4]["jumlah_responden"] == 5  # too few, but a count: kept
