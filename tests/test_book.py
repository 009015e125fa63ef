"""`masterplan book`: the Word document of the plans and budget, against the rekap's data."""

from __future__ import annotations

import dataclasses
import random
import shutil
import subprocess

import docx
import pytest
from click.testing import CliRunner
from conftest import convert
from docx.oxml.ns import qn
from plans import make_plan
from test_rekap_pipeline import random_rows

from pipeline import layout
from pipeline import workspace as workspace_mod
from pipeline.assemble.consolidate import of_counted_plans
from pipeline.cli import main
from pipeline.read.references import load_config
from pipeline.store.holdings import read_holdings
from pipeline.store.ledger import Ledger
from pipeline.write.book import OUTDATED_WARNING, STALE_LEDGER_WARNING
from pipeline.write.book.document import TABLE_STYLE, millions, money

OPDS = ["2.12.01", "1.02.01", "2.15.01"]
FORMULA_NAME = "=1+1"
MARKUP_NAME = "<b>Program tebal</b> & Co"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def booked(tmp_path_factory, cfg):
    """Three OPDs' plans (the last dimension left without programs), run, then book."""
    ws = workspace_mod.init(tmp_path_factory.mktemp("book") / "ws")
    rng = random.Random(7)
    # A dimension nobody plans for: its chapter must say so.
    limited = dataclasses.replace(cfg, dimensions=dict(list(cfg.dimensions.items())[:-1]))
    for i, code in enumerate(OPDS):
        rows = random_rows(limited, rng, code, 8)
        if i == 0:
            rows[1]["nama_program"] = FORMULA_NAME
            rows[2]["nama_program"] = MARKUP_NAME
            rows[2]["quick_win"] = "Ya"
            rows[2]["manfaat"] = "Warga <i>senang</i> & puas"
        make_plan(cfg, tmp_path_factory.mktemp("tpl"), ws.inbox / f"{code}.xlsx", code, rows)
    assert invoke("run", "-w", str(ws.root)).exit_code == 0
    result = invoke("book", "-w", str(ws.root))
    assert result.exit_code == 0, result.output
    ledger = Ledger(ws.ledger_path)
    try:
        cons, basis = of_counted_plans(cfg, read_holdings(ledger, cfg))
    finally:
        ledger.close()
    return ws, docx.Document(str(ws.output / layout.BOOK_NAME)), cons, basis, result.output


def captioned_tables(document) -> dict[str, list[list[str]]]:
    """Caption text (without 'Tabel n.m ') -> the rows of the table that follows it."""
    out, caption = {}, None
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            paragraph = docx.text.paragraph.Paragraph(block, document)
            if paragraph.style.name == "Caption" and paragraph.text.startswith("Tabel"):
                caption = paragraph.text.split(" ", 2)[2]
        elif block.tag == qn("w:tbl"):
            table = docx.table.Table(block, document)
            out[caption] = [[cell.text for cell in row.cells] for row in table.rows]
            caption = None
    return out


def juta(cell: str) -> float:
    return 0.0 if cell == "-" else float(cell.replace(".", "").replace(",", "."))


def rupiah(cell: str) -> int:
    return int(cell.removeprefix("Rp ").replace(".", ""))


def test_formats():
    assert money(1_500_000_000) == "Rp 1.500.000.000"
    assert millions(1_234_567_890) == "1.234,57"
    assert millions(0) == "-"


def test_structure_headings_captions_toc_and_repeating_headers(booked, cfg):
    ws, document, cons, basis, _ = booked
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Ringkasan Anggaran", *(f"Dimensi {d}" for d in cfg.dimensions),
                        "Quick Win", "Lampiran: Status Pengumpulan OPD"]
    body = document.element.body
    instructions = [t.text.strip() for t in body.iter(qn("w:instrText"))]
    assert any(i.startswith('TOC \\o "1-2"') for i in instructions)
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    tables = document.tables
    assert len([c for c in captions if c.text.startswith("Tabel ")]) == len(tables)
    assert [c.text[:10] for c in captions if c.text.startswith("Gambar")] == \
        ["Gambar 1.1", "Gambar 1.2", "Gambar 1.3"]
    assert instructions.count("SEQ Tabel \\* ARABIC \\s 1 \\r 1") == len(cfg.dimensions) + 2
    assert len(document.inline_shapes) == 3  # the charts
    for table in tables:
        assert table.style.name == TABLE_STYLE
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(row.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    # Roadmaps are landscape; the book starts and ends portrait.
    orientation = [s.page_width > s.page_height for s in document.sections]
    assert orientation[0] is False and orientation[-1] is False and any(orientation)
    assert document.styles["Heading 1"].element.pPr.numPr is not None  # numbered chapters


def test_every_table_equals_the_consolidation(booked, cfg):
    ws, document, cons, basis, _ = booked
    tables = captioned_tables(document)
    head = cons.headline
    headline = dict(tables["Angka utama"][1:])
    assert headline["Total anggaran"] == money(head["total_budget"])
    assert headline["Jumlah program"] == str(head["programs"])

    for title, frame in (("Anggaran per dimensi dan tahun", cons.by_dimension),
                         ("Anggaran per OPD dan tahun", cons.by_opd),
                         ("Anggaran per sumber dana dan tahun", cons.by_funding),
                         ("Anggaran per jenis program dan tahun", cons.by_type)):
        rows = tables[f"{title} (tahun dalam juta Rupiah, total dalam Rupiah)"]
        assert rows[0][1:] == [*map(str, cons.years), "Total (Rp)"]
        assert [r[0] for r in rows[1:]] == [str(k) for k in frame.index]
        for row, (_, expected) in zip(rows[1:], frame.iterrows(), strict=True):
            assert [juta(c) for c in row[1:-1]] == \
                [round(expected[y] / 1e6, 2) for y in cons.years]
            assert rupiah(row[-1]) == expected["Total"]

    wide = cons.wide
    for dimension in cfg.dimensions:
        programs = wide[wide["dimensi"] == dimension]
        if programs.empty:
            assert f"Program dimensi {dimension}" not in tables
            continue
        listed = tables[f"Program dimensi {dimension}"]
        assert sorted(r[1] for r in listed[1:-1]) == sorted(programs["nama_program"])
        by_name = dict(zip(programs["nama_program"], programs["total_anggaran"], strict=True))
        assert all(rupiah(r[-1]) == by_name[r[1]] for r in listed[1:-1])
        assert rupiah(listed[-1][-1]) == programs["total_anggaran"].sum()
        roadmap = tables[f"Roadmap dimensi {dimension} {cfg.period_label} (juta Rupiah)"]
        amounts = programs.set_index("nama_program")
        for row in roadmap[1:-1]:
            assert [juta(c) for c in row[3:-1]] == \
                [round(amounts.loc[row[1], f"anggaran_{y}"] / 1e6, 2) for y in cfg.years]
        assert juta(roadmap[-1][-1]) == round(programs["total_anggaran"].sum() / 1e6, 2)

    quick_wins = cons.quick_wins
    year = cfg.quick_win_year
    profiles = {k: dict(v[1:]) for k, v in tables.items() if k.startswith("Profil Quick Win ")}
    assert len(profiles) == len(quick_wins)
    for row in quick_wins.itertuples():
        profile = profiles[f"Profil Quick Win {row.nama_program}"]
        assert profile[f"Anggaran {year}"] == money(row.anggaran)
        assert profile["OPD"] == row.opd_singkatan
        source = wide[(wide["file"] == row.file) & (wide["row"] == row.row)]
        assert profile["Deskripsi"] == (source["deskripsi"].iloc[0] or "-")
        assert profile["Manfaat bagi Masyarakat"] == (row.manfaat or "-")
    counted = tables["OPD yang rencananya dihitung dalam buku ini"]
    assert [r[1] for r in counted[1:]] == [b["opd"] for b in basis]


def test_participant_text_stays_text_and_empty_dimension_says_so(booked, cfg):
    ws, document, cons, basis, _ = booked
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert FORMULA_NAME in cells and MARKUP_NAME in cells
    assert "Warga <i>senang</i> & puas" in cells
    last = list(cfg.dimensions)[-1]
    texts = [p.text for p in document.paragraphs]
    assert f"Dimensi {last} belum memiliki program dari OPD mana pun, sehingga belum memiliki " \
           "roadmap maupun Quick Win." in texts
    assert last in texts[texts.index("Dimensi tanpa Quick Win"):]


def test_run_says_when_the_plans_changed_after_the_book(booked, cfg, tmp_path):
    ws, *_ = booked
    again = invoke("run", "-w", str(ws.root))
    assert "masterplan book" not in again.output  # nothing changed since the book
    rows = random_rows(cfg, random.Random(3), "baru", 2)
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "dishub_baru.xlsx", OPDS[2], rows)
    changed = invoke("run", "-w", str(ws.root))
    assert "masterplan book" in " ".join(changed.output.split())
    assert OUTDATED_WARNING.split(";")[0] in " ".join(changed.output.split())
    assert invoke("book", "-w", str(ws.root)).exit_code == 0
    assert "masterplan book" not in invoke("run", "-w", str(ws.root)).output


def test_no_book_no_outdated_warning_and_a_config_changed_since_the_run(workspace, cfg,
                                                                         tmp_path):
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "a.xlsx", OPDS[0],
              random_rows(cfg, random.Random(1), "a", 2))
    assert "masterplan book" not in invoke("run", "-w", str(workspace.root)).output
    with workspace.config_path.open("a", encoding="utf-8") as handle:
        handle.write("\n# diubah setelah run\n")
    result = invoke("book", "-w", str(workspace.root))
    assert result.exit_code == 0
    assert STALE_LEDGER_WARNING.split(";")[0] in " ".join(result.output.split())


def test_empty_workspace_gives_a_short_document_and_a_warning(workspace):
    result = invoke("book", "-w", str(workspace.root))
    assert result.exit_code == 0, result.output
    assert "Belum ada rencana OPD yang diterima" in result.output
    document = docx.Document(str(workspace.output / layout.BOOK_NAME))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Ringkasan Anggaran", "Lampiran: Status Pengumpulan OPD"]
    assert len(document.tables) == 1  # the OPDs without an accepted plan
    assert len(document.tables[0].rows) == 1 + len(load_config(workspace).opds)


def _with_style(workspace, name: str) -> None:
    with workspace.config_path.open("a", encoding="utf-8") as handle:
        handle.write(f'\n[buku]\ngaya = "{name}"\n')


def test_house_style_document_gives_styles_and_page(workspace):
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.shared import Cm, Pt, RGBColor

    reference = docx.Document()
    reference.add_paragraph("Isi lama dokumen gaya")
    heading = reference.styles["Heading 1"]
    heading.font.size, heading.font.color.rgb = Pt(20), RGBColor(0x80, 0x00, 0x00)
    reference.sections[0].left_margin = Cm(4)
    # As LibreOffice writes it: no numbering part; and without a Caption style.
    numbering = next(r for r in reference.part.rels.values() if r.reltype == RT.NUMBERING)
    reference.part.drop_rel(numbering.rId)
    caption = reference.styles["Caption"].element
    caption.getparent().remove(caption)
    reference.save(str(workspace.root / "gaya_kantor.docx"))
    _with_style(workspace, "gaya_kantor.docx")

    assert invoke("book", "-w", str(workspace.root)).exit_code == 0
    document = docx.Document(str(workspace.output / layout.BOOK_NAME))
    assert document.styles["Heading 1"].font.size == Pt(20)
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0x80, 0x00, 0x00)
    assert abs(document.sections[0].left_margin - Cm(4)) < Cm(0.01)  # stored in twips
    assert "Isi lama dokumen gaya" not in [p.text for p in document.paragraphs]
    assert document.styles["Heading 1"].element.pPr.numPr is not None
    assert [p.text[:9] for p in document.paragraphs if p.style.name == "Caption"] == \
        ["Tabel 2.1"]


@pytest.mark.parametrize("content", [None, b"bukan dokumen", b"PK\x03\x04rusak"])
def test_missing_or_broken_style_document_exits_2(workspace, content):
    if content is not None:
        (workspace.root / "gaya.docx").write_bytes(content)
    _with_style(workspace, "gaya.docx")
    result = invoke("book", "-w", str(workspace.root))
    assert result.exit_code == 2
    assert "buku.gaya" in result.output and "gaya.docx" in result.output
    assert "Traceback" not in result.output
    assert not (workspace.output / layout.BOOK_NAME).exists()


@pytest.mark.libreoffice
def test_libreoffice_converts_the_book_to_pdf(booked, soffice, tmp_path):
    ws, *_ = booked
    pdf = convert(ws.output / layout.BOOK_NAME, "pdf", tmp_path, soffice)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Ringkasan Anggaran" in text and "Tabel 2.1" in text
        assert MARKUP_NAME in " ".join(text.split())


def test_table_text_is_escaped_and_cleaned_of_characters_xml_forbids():
    from pipeline.write.book.document import Column, add_table, new_document

    document, styles = new_document(None)
    add_table(document, styles, [Column("Nama", 1), Column("Nilai", 1, numeric=True)],
              [["a\x01b\x0b & <c>", "1"]], total=["Total", "1"])
    table = document.tables[0]
    assert [cell.text for cell in table.rows[1].cells] == ["ab & <c>", "1"]
    assert table.rows[2].cells[0].paragraphs[0].runs[0].bold
