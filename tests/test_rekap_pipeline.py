"""The whole way: filled templates -> inbox -> run -> every rekap figure checked by hand."""

from __future__ import annotations

import random
from collections import defaultdict

from click.testing import CliRunner
from openpyxl import load_workbook
from plans import good_row, make_plan

from pipeline.cli import main

OPDS = ["2.12.01", "1.02.01", "2.15.01", "2.11.01"]


def random_rows(cfg, rng: random.Random, code: str, count: int) -> list[dict]:
    rows = []
    for i in range(count):
        dimension = rng.choice(list(cfg.dimensions))
        budgets = {f"anggaran_{y}": rng.choice([0, rng.randrange(1, 500) * 1_000_000])
                   for y in cfg.years}
        budgets[f"anggaran_{cfg.first_year}"] = rng.randrange(1, 50) * 10_000_000
        quick = i == 0
        rows.append(good_row(
            cfg, nama_program=f"Program {code} nomor {i}", dimensi=dimension,
            elemen=rng.choice(cfg.dimensions[dimension]),
            jenis_program=rng.choice(cfg.program_types),
            sumber_dana=rng.choice(cfg.funding_sources[:5]),
            quick_win="Ya" if quick else "Tidak",
            manfaat="Warga terlayani lebih cepat" if quick else None,
            **{f"target_{cfg.quick_win_year}": 50}, **budgets))
    return rows


def matrix(book, sheet: str, label_columns: int = 1) -> dict[tuple, dict]:
    """Sheet rows -> {labels: {header: value}} from the header row holding 'Total'."""
    rows = list(book[sheet].iter_rows(values_only=True))
    header_index = next(i for i, row in enumerate(rows) if "Total" in row)
    header = rows[header_index]
    out = {}
    for row in rows[header_index + 1:]:
        if row[0] is None:
            continue
        labels = tuple(row[:label_columns])
        out[labels] = {h: v for h, v in zip(header[label_columns:], row[label_columns:],
                                            strict=False) if h is not None}
    return out


def test_every_matrix_cell_and_total_matches_sums_of_the_inputs(cfg, workspace, tmp_path):
    rng = random.Random(11)
    inputs: dict[str, list[dict]] = {}
    for code in OPDS:
        inputs[code] = random_rows(cfg, rng, code, 6)
        make_plan(cfg, tmp_path / "tpl", workspace.inbox / f"{code}.xlsx", code, inputs[code])
    assert CliRunner().invoke(main, ["run", "-w", str(workspace.root)]).exit_code == 0

    # A resubmission replaces the OPD's figures; it never adds to them.
    inputs[OPDS[0]] = random_rows(cfg, rng, OPDS[0] + "-v2", 3)
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "revisi.xlsx", OPDS[0], inputs[OPDS[0]])
    assert CliRunner().invoke(main, ["run", "-w", str(workspace.root)]).exit_code == 0

    expected = {name: defaultdict(int) for name in ("dim", "opd", "fund", "elem", "type")}
    for code, rows in inputs.items():
        singkatan = cfg.opd_by_code[code].singkatan
        for row in rows:
            for year in cfg.years:
                amount = row[f"anggaran_{year}"]
                for name, label in (("dim", (row["dimensi"],)), ("opd", (singkatan,)),
                                    ("fund", (row["sumber_dana"],)),
                                    ("elem", (row["dimensi"], row["elemen"])),
                                    ("type", (row["jenis_program"],))):
                    expected[name][(label, year)] += amount

    book = load_workbook(workspace.output / "rekap_masterplan.xlsx", read_only=True)
    sheets = {"dim": ("Dimensi per Tahun", 1), "opd": ("OPD per Tahun", 1),
              "fund": ("Sumber Dana per Tahun", 1), "elem": ("Elemen", 2),
              "type": ("Jenis Program", 1)}
    grand = sum(row[f"anggaran_{y}"] for rows in inputs.values() for row in rows
                for y in cfg.years)
    for name, (sheet, labels) in sheets.items():
        found = matrix(book, sheet, labels)
        for labels_key, cells in found.items():
            if labels_key[0] == "Total":
                for year in cfg.years:
                    want = sum(v for (lab, y), v in expected[name].items() if y == year)
                    assert cells[year] == want, (sheet, "Total", year)
                assert cells["Total"] == grand
                continue
            for year in cfg.years:
                assert cells[year] == expected[name].get((labels_key, year), 0), \
                    (sheet, labels_key, year)
            assert cells["Total"] == sum(expected[name].get((labels_key, y), 0)
                                         for y in cfg.years)
        used = {lab for (lab, _), v in expected[name].items() if v}
        assert used <= set(found), (sheet, used - set(found))

    quick = [r for r in book["Quick Win"].iter_rows(values_only=True)
             if any(isinstance(v, str) and " nomor " in v for v in r)]
    names = {v for r in quick for v in r if isinstance(v, str) and " nomor " in v}
    assert names == {row["nama_program"] for rows in inputs.values() for row in rows
                     if row["quick_win"] == "Ya"}
    status = {r[1]: r for r in book["Status Pengumpulan"].iter_rows(values_only=True)
              if len(r) > 1 and r[1] in cfg.opd_by_code}
    assert set(status) == set(cfg.opd_by_code)
    assert all("diterima" in status[code] for code in OPDS)
    assert "belum mengumpulkan" in status["2.16.01"]
