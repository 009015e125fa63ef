"""`masterplan pantau`'s figures (assemble.monitoring) on documents as the SIPD reader
returns them: statuses, sums at every level, the SKPD -> OPD mapping, shared codes, two
stages of a year, the JSON; and the year and stage a document is given."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from budget_docs import DINKES_SKPD, DUKCAPIL_SKPD, RSUD_UNIT, document, entry, programs, sipd

from pipeline.assemble.monitoring import monitor
from pipeline.assemble.skpd_mapping import VIA_CODE, VIA_NAME, VIA_NONE, VIA_SIPD, SkpdMapper
from pipeline.read.budget_docs import document_stage, document_year
from pipeline.results import BudgetStatus, Stage
from pipeline.write.monitoring import json_data

DUKCAPIL, DINKES, RSUD = "2.12.01", "1.02.01", "1.02.02"
GOV, LIVING = "Smart Governance", "Smart Living"


@pytest.fixture
def wide(cfg):
    y = cfg.first_year
    return programs(cfg, [
        (DUKCAPIL, "Akta Kelahiran Online", "2.12.02", GOV, {y: 300, y + 1: 400}),
        (DUKCAPIL, "KTP Keliling", "2.12.03", GOV, {y: 100}),
        (DUKCAPIL, "Arsip Digital Kependudukan", "2.12.04", GOV, {y: 50}),
        (DUKCAPIL, "Survei Kepuasan", None, GOV, {y: 20}),
        (DUKCAPIL, "Kios Mandiri", "2.12.05", GOV, {y + 1: 70}),  # not planned in y
    ])


def by_name(mon, stage=None):
    frame = mon.programs if stage is None else mon.programs[mon.programs["tahap"] == stage]
    return {r.nama: r for r in frame.itertuples(index=False)}


def test_each_status_and_the_sum_of_every_row_under_a_program_code(cfg, wide):
    y = cfg.first_year
    doc = document(f"APBD {y}.xlsx", y, [
        entry("2.12.02.2.01.0001", 120), entry("2.12.02.2.01.0002", 80),
        entry("2.12.02.2.02.0001", 25),  # another kegiatan of the same program
        entry("2.12.03.2.01.0001", 0), entry("2.12.03.2.01.0002", None),
        entry("2.12.06.2.01.0001", 999),  # a program the masterplan does not have
    ])
    mon = monitor(cfg, wide, [doc])
    rows = by_name(mon)
    assert set(rows) == {"Akta Kelahiran Online", "KTP Keliling", "Arsip Digital Kependudukan",
                         "Survei Kepuasan"}  # Kios Mandiri has no budget in y
    akta = rows["Akta Kelahiran Online"]
    assert (akta.status, akta.anggaran, akta.rencana, akta.baris) == (BudgetStatus.FUNDED, 225,
                                                                    300, 3)
    assert akta.letak == "Rekap!2-4"
    assert (rows["KTP Keliling"].status, rows["KTP Keliling"].anggaran) == (BudgetStatus.LISTED, 0)
    assert rows["Arsip Digital Kependudukan"].status is BudgetStatus.ABSENT
    assert rows["Survei Kepuasan"].status is BudgetStatus.NO_CODE
    assert rows["Survei Kepuasan"].anggaran is pd.NA
    (summary,) = mon.summary.itertuples(index=False)
    assert (summary.program_rencana, summary.program_dianggarkan, summary.persen_program) == \
        (4, 1, 25.0)
    assert (summary.anggaran_rencana, summary.anggaran_dokumen) == (470, 225)
    assert mon.headline(summary) == (f"1 dari 4 program masterplan {y} dianggarkan dalam APBD "
                                     f"{y} (25%)")


def test_kegiatan_and_sub_kegiatan_codes_sum_their_own_level(cfg):
    y = cfg.first_year
    wide = programs(cfg, [
        (DUKCAPIL, "Pelayanan Akta", "2.12.02.2.01", GOV, {y: 10}),
        (DUKCAPIL, "Aplikasi Akta", "2.12.02.2.01.0002", GOV, {y: 10}),
    ])
    # A per-SKPD table: every level its own row and amount; only the lowest rows counted.
    doc = document(f"KUA-PPAS {y}.xlsx", y, [
        entry("2.12.02", 500, counted=False), entry("2.12.02.2.01", 300, counted=False),
        entry("2.12.02.2.01.0001", 100), entry("2.12.02.2.01.0002", 200),
        entry("2.12.02.2.02", 200, counted=False), entry("2.12.02.2.02.0001", 200),
    ])
    rows = by_name(monitor(cfg, wide, [doc]))
    assert rows["Pelayanan Akta"].anggaran == 300
    assert rows["Aplikasi Akta"].anggaran == 200
    assert rows["Pelayanan Akta"].tahap == Stage.KUA_PPAS


def test_programs_sharing_a_code_are_marked_and_their_rupiah_counted_once(cfg):
    y = cfg.first_year
    wide = programs(cfg, [
        (DUKCAPIL, "Akta Online", "2.12.02", GOV, {y: 100}),
        (DUKCAPIL, "Akta di Puskesmas", "2.12.02.2.01", GOV, {y: 100}),
        (DINKES, "Telemedisin", "1.02.02", LIVING, {y: 100}),
    ])
    doc = document(f"APBD {y}.xlsx", y, [
        entry("2.12.02.2.01.0001", 60), entry("2.12.02.2.02.0001", 40),
        entry("1.02.02.2.01.0001", 10, DINKES_SKPD),
    ])
    mon = monitor(cfg, wide, [doc])
    rows = by_name(mon)
    assert rows["Akta Online"].anggaran == 100 and rows["Akta di Puskesmas"].anggaran == 60
    assert rows["Akta Online"].kode_bersama == "Akta di Puskesmas (2.12.02.2.01)"
    assert rows["Akta di Puskesmas"].kode_bersama == "Akta Online (2.12.02)"
    assert rows["Telemedisin"].kode_bersama == ""
    (summary,) = mon.summary.itertuples(index=False)
    assert summary.anggaran_dokumen == 110  # not 170: the 60 once
    by_dimension = {r.dimensi: r.anggaran_dokumen for r in mon.by_dimension.itertuples()}
    assert by_dimension == {GOV: 100, LIVING: 10}
    by_opd = {r.opd: (r.program_dianggarkan, r.anggaran_dokumen) for r in mon.by_opd.itertuples()}
    assert by_opd == {DUKCAPIL: (2, 100), DINKES: (1, 10)}


def test_rows_count_for_their_own_opd_only(cfg):
    """The same code under another SKPD is not this OPD's money."""
    y = cfg.first_year
    wide = programs(cfg, [(DINKES, "Telemedisin", "1.02.02", LIVING, {y: 100})])
    doc = document(f"APBD {y}.xlsx", y, [entry("1.02.02.2.01.0001", 10, DUKCAPIL_SKPD)])
    assert by_name(monitor(cfg, wide, [doc]))["Telemedisin"].status is BudgetStatus.ABSENT


def test_skpd_mapping_by_sipd_claim_code_and_name(cfg):
    rsud_claims = dataclasses.replace(cfg.opd_by_code[RSUD], sipd=(RSUD_UNIT[0],))
    claimed = dataclasses.replace(cfg, opds=tuple(rsud_claims if o.kode == RSUD else o
                                                  for o in cfg.opds))
    mapper = SkpdMapper(claimed)
    # A sub unit an OPD claims counts for it, not for the OPD of its parent SKPD.
    claimed_unit = mapper((*DINKES_SKPD, *RSUD_UNIT))
    assert (claimed_unit.opd, claimed_unit.via) == (RSUD, VIA_SIPD)
    parent = mapper((*DINKES_SKPD, None, None))
    assert (parent.opd, parent.via) == (DINKES, VIA_CODE)  # A.BB.C.DD.E.FF.GG.HHHH -> A.BB.GG
    # Unclaimed, the sub unit's code says its parent's OPD.
    unclaimed = SkpdMapper(cfg)((*DINKES_SKPD, *RSUD_UNIT))
    assert (unclaimed.opd, unclaimed.via) == (DINKES, VIA_CODE)
    by_name_ = SkpdMapper(cfg)((None, "DINAS KESEHATAN", None, None))
    assert (by_name_.opd, by_name_.via) == (DINKES, VIA_NAME)
    nowhere = SkpdMapper(cfg)(("9.99.0.00.0.00.01.0000", "Dinas Entah Berantah", None, None))
    assert (nowhere.opd, nowhere.via) == (None, VIA_NONE)


def test_unmapped_skpds_are_listed_per_document(cfg, wide):
    y = cfg.first_year
    lost = ("9.99.0.00.0.00.01.0000", "Dinas Entah Berantah")
    doc = document(f"APBD {y}.xlsx", y, [entry("2.12.02.2.01.0001", 5),
                                         entry("9.99.01.2.01.0001", 7, lost)])
    mon = monitor(cfg, wide, [doc])
    assert mon.unmapped == {f"APBD {y}.xlsx": ["9.99.0.00.0.00.01.0000 Dinas Entah Berantah"]}
    assert json_data(mon)["dokumen"][0]["skpd_tanpa_opd"] == mon.unmapped[f"APBD {y}.xlsx"]


def test_two_stages_of_a_year_side_by_side_and_the_json(cfg, wide):
    y = cfg.first_year
    rkpd = document(f"rkpd/RKPD {y}.xlsx", y, [entry("2.12.02.2.01.0001", 300),
                                               entry("2.12.03.2.01.0001", 100)])
    apbd = document(f"APBD {y}.xlsx", y, [entry("2.12.02.2.01.0001", 250)], realised=True)
    mon = monitor(cfg, wide, [apbd, rkpd])  # given out of order
    assert [(d.year, d.stage) for d in mon.documents] == [(y, Stage.RKPD), (y, Stage.APBD)]
    assert by_name(mon, Stage.RKPD)["KTP Keliling"].status is BudgetStatus.FUNDED
    assert by_name(mon, Stage.APBD)["KTP Keliling"].status is BudgetStatus.ABSENT
    data = json_data(mon)
    assert set(data) == {"dokumen", "program", "ringkasan"}
    assert data["dokumen"][0] == {"berkas": f"rkpd/RKPD {y}.xlsx", "tahun": y, "tahap": "rkpd",
                                  "baris": 2, "skpd_tanpa_opd": []}
    akta = [p for p in data["program"] if p["nama"] == "Akta Kelahiran Online"]
    assert akta == [
        {"opd": DUKCAPIL, "nama": "Akta Kelahiran Online", "kode": "2.12.02", "dimensi": GOV,
         "tahun": y, "tahap": "rkpd", "rencana": 300, "anggaran": 300, "realisasi": None,
         "status": "dianggarkan"},
        {"opd": DUKCAPIL, "nama": "Akta Kelahiran Online", "kode": "2.12.02", "dimensi": GOV,
         "tahun": y, "tahap": "apbd", "rencana": 300, "anggaran": 250, "realisasi": 0,
         "status": "dianggarkan"}]
    assert data["ringkasan"] == [
        {"tahun": y, "tahap": "rkpd", "program_rencana": 4, "program_dianggarkan": 2,
         "persen_program": 50.0, "anggaran_rencana": 470, "anggaran_dokumen": 400,
         "persen_anggaran": 85.1},
        {"tahun": y, "tahap": "apbd", "program_rencana": 4, "program_dianggarkan": 1,
         "persen_program": 25.0, "anggaran_rencana": 470, "anggaran_dokumen": 250,
         "persen_anggaran": 53.2}]
    assert all(isinstance(p["rencana"], int) for p in data["program"])


def test_penunjang_codes_match_any_bidang(cfg):
    y = cfg.first_year
    wide = programs(cfg, [(DUKCAPIL, "Administrasi Digital", "X.XX.01", GOV, {y: 10})])
    doc = document(f"APBD {y}.xlsx", y, [entry("2.12.01.2.02.0001", 30),
                                         entry("X.XX.01.2.03.0001", 12)])
    assert by_name(monitor(cfg, wide, [doc]))["Administrasi Digital"].anggaran == 42


@pytest.mark.parametrize(("title", "file", "entries_year", "expected"), [
    ((), "APBD 2025.xlsx", 2026, (2026, "kolom TAHUN")),
    (("Tabel IV.3", "Ringkasan KUA PPAS Tahun 2024", "Kabupaten Tapanuli Tengah"),
     "kua.xlsx", None, (2024, "judul dokumen")),
    (("RINCIAN APBD T.A. 2027",), "x.xlsx", None, (2027, "judul dokumen")),
    ((), "2028/apbd_murni_2029.xlsx", None, (2029, "nama berkas")),
    ((), "2028/apbd murni.xlsx", None, (2028, "nama folder")),
    (("Rekap",), "apbd.xlsx", None, (None, "")),
])
def test_the_year_of_a_document(title, file, entries_year, expected):
    doc = sipd([entry("2.12.02.2.01.0001", 5, year=entries_year)], title=title)
    assert document_year(doc, file) == expected


@pytest.mark.parametrize(("title", "file", "expected"), [
    (("Ringkasan KUA PPAS Tahun 2024",), "x.xlsx", Stage.KUA_PPAS),
    ((), "2025/perubahan/rekap.xlsx", Stage.PERUBAHAN),
    ((), "Realisasi_APBD_2025.xlsx", Stage.REALISASI),
    ((), "APBD-P 2025.xlsx", Stage.PERUBAHAN),
    ((), "apbd murni 2025.xlsx", Stage.APBD),
    ((), "Rancangan Akhir RKPD 2025.xlsx", Stage.RKPD),
    ((), "renja dinkes 2025.xlsx", Stage.RENJA),
    ((), "DPA SKPD 2025.xlsx", Stage.DPA),
    ((), "pergeseran-2025.xlsx", Stage.PERGESERAN),
    ((), "unduhan sipd 2025.xlsx", "unduhan sipd 2025"),
])
def test_the_stage_of_a_document(title, file, expected):
    assert document_stage(title, file)[0] == expected
