"""Feedback workbooks: the participant's own file, marked by editing its package.

Returned feedback workbooks and sheets with comments of their own go the same road; a
package the editor does not take as it is gets re-saved by openpyxl first (logged).
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile

import pytest
from click.testing import CliRunner
from conftest import convert
from openpyxl import load_workbook
from openpyxl.comments import Comment
from plans import DINKES, good_row, make_plan

from pipeline import layout
from pipeline.catalogue import Problem
from pipeline.cli import main
from pipeline.common import ooxml
from pipeline.demo.filling import program_cell
from pipeline.store.checking import check
from pipeline.write import feedback


def run(ws) -> None:
    result = CliRunner().invoke(main, ["run", "-w", str(ws.root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def problems_of(path, cfg) -> list[Problem]:
    [(_, judgement)] = check([path], cfg)
    return judgement.problems


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def without_row_numbers(path, out):
    """`path` with its Program sheet's rows unnumbered (as some generators write them):
    a package the editor does not take as it is."""
    parts = members(path.read_bytes())
    sheet = "xl/worksheets/sheet3.xml"
    parts[sheet] = re.sub(rb'(<row\b[^>]*?) r="\d+"', rb"\1", parts[sheet])
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out


def bad_plan(cfg, tmp_path, out):
    """Element of another dimension (error), no Deskripsi (warning), no Satuan (error)."""
    return make_plan(cfg, tmp_path / "tpl", out, DINKES,
                     [good_row(cfg, elemen="Wajah Kota", deskripsi=None, satuan=None)])


def test_marked_package_changes_only_the_parts_it_must(cfg, tmp_path):
    path = bad_plan(cfg, tmp_path, tmp_path / "dinkes.xlsx")
    problems = problems_of(path, cfg)
    assert {p.code for p in problems} >= {"ELEMEN_BUKAN_DIMENSI", "DESKRIPSI_KOSONG"}
    before = members(path.read_bytes())
    after = members(feedback.marked_package(path.read_bytes(), problems, "dinkes.xlsx"))

    changed = {name for name in before if before[name] != after[name]}
    assert changed <= {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                       "xl/styles.xml", "xl/worksheets/sheet1.xml",  # Petunjuk: unselected
                       "xl/worksheets/sheet3.xml"}  # Program: the marks
    added = set(after) - set(before)
    assert any(name.startswith("xl/comments") for name in added)
    assert any(name.endswith(".vml") for name in added)


def test_marks_comments_and_notes_sheet(cfg, tmp_path):
    path = bad_plan(cfg, tmp_path, tmp_path / "dinkes.xlsx")
    problems = problems_of(path, cfg)
    out = tmp_path / "dinkes_umpan_balik.xlsx"
    out.write_bytes(feedback.marked_package(path.read_bytes(), problems, "dinkes.xlsx"))

    book = load_workbook(out)
    assert book.sheetnames[0] == feedback.NOTES_SHEET and book.active.title == feedback.NOTES_SHEET
    assert [ws.title for ws in book.worksheets if ws.sheet_view.tabSelected] == \
        [feedback.NOTES_SHEET]
    program = book[layout.SHEET_PROGRAM]
    elemen = program[program_cell(program, "elemen", 0)]
    satuan = program[program_cell(program, "satuan", 0)]
    deskripsi = program[program_cell(program, "deskripsi", 0)]
    assert elemen.value == "Wajah Kota" and elemen.fill.fgColor.rgb == "FFFFC7CE"
    assert satuan.fill.fgColor.rgb == "FFFFC7CE" and deskripsi.fill.fgColor.rgb == "FFFFEB9C"
    assert "ELEMEN_BUKAN_DIMENSI" in elemen.comment.text
    assert elemen.comment.author == feedback.AUTHOR
    # A blank cell that had to be created keeps its column's format: still unlocked under
    # the sheet protection, so the participant can type the missing Satuan.
    assert program.protection.sheet and satuan.value is None
    assert satuan.protection.locked is False
    # The template's dropdowns and names are untouched; print titles stay on their sheet.
    assert any("INDIRECT" in (dv.formula1 or "") for dv in program.data_validations.dataValidation)
    assert layout.LIST_NAMES["dimensi"] in book.defined_names
    assert program.print_title_rows == "$3:$3"

    notes = book[feedback.NOTES_SHEET]
    rows = [r for r in notes.iter_rows(min_row=5, values_only=True) if r[0]]
    assert [r[6] for r in rows] == [p.code for p in problems]
    assert [r[3] for r in rows] == [p.cell for p in problems]
    link = next(c for c in notes["D"][4:] if c.value == elemen.coordinate)
    assert link.hyperlink.location == f"'Program'!{elemen.coordinate}"
    assert notes.print_title_rows == "$4:$4" and notes.freeze_panes == "A5"
    assert notes.column_dimensions["J"].hidden


def test_participant_text_stays_text_and_valid_xml(cfg, tmp_path):
    path = make_plan(cfg, tmp_path / "tpl", tmp_path / "x.xlsx", DINKES, [good_row(cfg)])
    nasty = '=HYPERLINK("http://evil","klik")\x0b<b>&"\'\x01'
    problem = Problem("DESKRIPSI_KOSONG", file="x.xlsx", sheet="Program", cell="C4",
                      column="Deskripsi", value=nasty, row=4)
    out = tmp_path / "out.xlsx"
    out.write_bytes(feedback.marked_package(path.read_bytes(), [problem], "it's <x>.xlsx"))
    notes = load_workbook(out)[feedback.NOTES_SHEET]
    assert notes["A1"].value == "Catatan Validasi: it's <x>.xlsx"
    assert notes["F5"].data_type == "s"
    assert notes["F5"].value == '=HYPERLINK("http://evil","klik")<b>&"\''


def test_returned_feedback_workbook_is_marked_afresh(cfg, workspace, tmp_path, caplog):
    """The old marks and notes go before the new ones, in the package itself."""
    bad_plan(cfg, tmp_path, workspace.inbox / "dinkes.xlsx")
    run(workspace)
    first = workspace.output / "umpan_balik" / "dinkes_umpan_balik.xlsx"
    # Taken back with nothing new to mark: the participant's file as it was, comments,
    # fills and the notes sheet gone.
    original = load_workbook(workspace.inbox / "dinkes.xlsx")
    clean = tmp_path / "clean.xlsx"
    clean.write_bytes(feedback.marked_package(first.read_bytes(), [], "x.xlsx"))
    cleared = load_workbook(clean)
    assert cleared.sheetnames == [feedback.NOTES_SHEET, *original.sheetnames]
    assert not [1 for r in cleared[feedback.NOTES_SHEET].iter_rows(min_row=5) if r[0].value]
    assert not [n for n in members(clean.read_bytes()) if "comments" in n or ".vml" in n]
    program, before = cleared[layout.SHEET_PROGRAM], original[layout.SHEET_PROGRAM]
    for key in ("elemen", "satuan", "deskripsi"):
        ref = program_cell(program, key, 0)
        assert program[ref].fill.fill_type is None and program[ref].comment is None, key
        assert program[ref].value == before[ref].value
    assert "Print_Titles" not in str(cleared.defined_names)  # sheet-local to the old notes
    assert program.print_title_rows == before.print_title_rows

    # Sent back with Elemen fixed but Satuan still empty.
    book = load_workbook(first)
    program = book[layout.SHEET_PROGRAM]
    program[program_cell(program, "elemen", 0)] = "Pelayanan Publik"
    book.save(workspace.inbox / "dinkes_umpan_balik.xlsx")
    with caplog.at_level("INFO", logger="pipeline.write.feedback"):
        run(workspace)
    assert "re-saved by openpyxl" not in caplog.text
    # The newest file (the returned one) has the plain name; its original, which needs no
    # action any more, moved to lama/.
    again = load_workbook(first)
    assert again[feedback.NOTES_SHEET]["A1"].value.endswith(": dinkes_umpan_balik.xlsx")
    assert not list((workspace.output / "umpan_balik").glob("dinkes_umpan_balik_*.xlsx"))
    old = load_workbook(workspace.output / "umpan_balik" / "lama" / "dinkes_umpan_balik.xlsx")
    assert old[feedback.NOTES_SHEET]["A1"].value.endswith(": dinkes.xlsx")
    assert again.sheetnames.count(feedback.NOTES_SHEET) == 1
    codes = {r[6] for r in again[feedback.NOTES_SHEET].iter_rows(min_row=5, values_only=True)
             if r[0]}
    assert "ELEMEN_BUKAN_DIMENSI" not in codes and "WAJIB_DIISI" in codes
    program = again[layout.SHEET_PROGRAM]
    elemen = program[program_cell(program, "elemen", 0)]
    assert elemen.comment is None and elemen.fill.fill_type is None  # old mark cleared
    assert program[program_cell(program, "satuan", 0)].fill.fgColor.rgb.endswith("FFC7CE")


def test_participants_own_comments_are_kept(cfg, workspace, tmp_path):
    path = bad_plan(cfg, tmp_path, tmp_path / "dinkes.xlsx")
    book = load_workbook(path)
    program = book[layout.SHEET_PROGRAM]
    program["B4"].comment = Comment("Catatan kami sendiri", "Rina")
    elemen_ref = program_cell(program, "elemen", 0)
    program[elemen_ref].comment = Comment("Elemen ini masih dibahas", "Rina")
    book.save(workspace.inbox / "dinkes.xlsx")
    run(workspace)
    first = workspace.output / "umpan_balik" / "dinkes_umpan_balik.xlsx"
    out = load_workbook(first)
    program = out[layout.SHEET_PROGRAM]
    assert program["B4"].comment.text == "Catatan kami sendiri"
    elemen = program[elemen_ref].comment.text
    assert "ELEMEN_BUKAN_DIMENSI" in elemen and elemen.endswith("Elemen ini masih dibahas")
    assert "WAJIB_DIISI" in program[program_cell(program, "satuan", 0)].comment.text
    # Our notes share the sheet's comment parts: one comments part, one drawing.
    parts = members(first.read_bytes())
    assert len([n for n in parts if n.startswith("xl/comments")]) == 1
    assert len([n for n in parts if n.endswith(".vml")]) == 1

    # Sent back as it is: our text comes off, theirs stays, and the cell is marked again.
    again = feedback.marked_package(first.read_bytes(), [], "x.xlsx")
    program = load_workbook(io.BytesIO(again))[layout.SHEET_PROGRAM]
    assert program["B4"].comment.text == "Catatan kami sendiri"
    assert program[elemen_ref].comment.text == "Elemen ini masih dibahas"
    assert program[program_cell(program, "satuan", 0)].comment is None


def test_a_package_the_editor_does_not_take_is_resaved_first_and_logged(cfg, tmp_path, caplog):
    """Rows without numbers (some generators write them): openpyxl re-saves the file,
    then the same road marks it."""
    path = bad_plan(cfg, tmp_path, tmp_path / "dinkes.xlsx")
    problems = problems_of(path, cfg)
    odd = without_row_numbers(path, tmp_path / "tanpa_nomor.xlsx")
    with pytest.raises(ooxml.Unsupported):
        feedback.marked_package(odd.read_bytes(), problems, "d.xlsx")
    with caplog.at_level("INFO", logger="pipeline.write.feedback"):
        out = feedback.write_feedback(odd, tmp_path / "out.xlsx", problems, "d.xlsx")
    assert "row without a number" in caplog.text and "re-saved by openpyxl" in caplog.text
    program = load_workbook(out)[layout.SHEET_PROGRAM]
    elemen = program[program_cell(program, "elemen", 0)]
    assert elemen.fill.fgColor.rgb == "FFFFC7CE" and "ELEMEN_BUKAN_DIMENSI" in elemen.comment.text
    assert elemen.protection.locked is False and program.protection.sheet


def test_sheets_far_larger_than_a_template_are_not_marked_in_the_judging_process(
        cfg, workspace, tmp_path, monkeypatch):
    """The editor and openpyxl's re-save hold a sheet in memory many times its size, in
    the process that judges (serve, watch, run): past their limits the file gets no
    feedback workbook, its verdict and problems stand, and nothing is re-saved."""
    path = bad_plan(cfg, tmp_path, tmp_path / "dinkes.xlsx")
    problems = problems_of(path, cfg)
    parts = members(path.read_bytes())
    sheet_bytes = sum(len(data) for name, data in parts.items()
                      if name.startswith("xl/worksheets/"))
    monkeypatch.setattr(feedback, "MAX_SHEET_XML_BYTES", sheet_bytes - 1)
    with pytest.raises(feedback.TooLargeToMark):
        feedback.write_feedback(path, tmp_path / "out.xlsx", problems, "d.xlsx")
    assert not (tmp_path / "out.xlsx").exists()

    # A package only openpyxl would take (rows without numbers), over the re-save limit.
    monkeypatch.setattr(feedback, "MAX_SHEET_XML_BYTES", 10 * sheet_bytes)
    monkeypatch.setattr(feedback, "MAX_RESAVE_XML_BYTES", sheet_bytes // 2)
    odd = without_row_numbers(path, tmp_path / "tanpa_nomor.xlsx")
    monkeypatch.setattr(feedback, "_resaved", lambda source: pytest.fail("re-saved"))
    with pytest.raises(feedback.TooLargeToMark):
        feedback.write_feedback(odd, tmp_path / "out.xlsx", problems, "d.xlsx")

    # Through a run: rejected as judged, the problems reported, no feedback workbook.
    shutil.copy(odd, workspace.inbox / "tanpa_nomor.xlsx")
    run(workspace)
    report = (workspace.output / layout.REPORT_JSON_NAME).read_text("utf-8")
    assert '"tanpa_nomor.xlsx"' in report and "ELEMEN_BUKAN_DIMENSI" in report
    assert not (workspace.output / layout.FEEDBACK_DIR
                / layout.feedback_name("tanpa_nomor.xlsx")).exists()


@pytest.mark.libreoffice
def test_file_saved_by_libreoffice_is_marked_and_reads_back(cfg, tmp_path, soffice):
    """Another program's save (shared strings, its own styles) through the usual road,
    and the result opened by that program again."""
    plan = bad_plan(cfg, tmp_path, tmp_path / "src" / "dinkes.xlsx")
    saved = convert(plan, "xlsx", tmp_path / "lo")
    problems = problems_of(saved, cfg)
    assert "ELEMEN_BUKAN_DIMENSI" in {p.code for p in problems}
    marked = tmp_path / "marked" / "dinkes_umpan_balik.xlsx"
    marked.parent.mkdir()
    marked.write_bytes(feedback.marked_package(saved.read_bytes(), problems, "dinkes.xlsx"))

    back = load_workbook(convert(marked, "xlsx", tmp_path / "again"))
    assert back.sheetnames[0] == feedback.NOTES_SHEET
    program = back[layout.SHEET_PROGRAM]
    elemen = program[program_cell(program, "elemen", 0)]
    assert elemen.fill.fgColor.rgb.endswith("FFC7CE")
    assert "ELEMEN_BUKAN_DIMENSI" in elemen.comment.text
    assert any("INDIRECT" in (dv.formula1 or "") for dv in program.data_validations.dataValidation)
    shutil.rmtree(tmp_path / "again")


def test_excel_markup_compatibility_prefixes_survive(cfg, tmp_path):
    """Excel's sheets say mc:Ignorable="x14ac" and use x14ac: attributes; the prefix must
    stay declared under that name, or Excel refuses the file (why lxml, not ElementTree)."""
    path = bad_plan(cfg, tmp_path, tmp_path / "dinkes.xlsx")
    problems = problems_of(path, cfg)
    parts = members(path.read_bytes())
    sheet = parts["xl/worksheets/sheet3.xml"].decode()
    sheet = sheet.replace(
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'mc:Ignorable="x14ac" '
        'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">', 1)
    sheet = sheet.replace('<row r="4"', '<row x14ac:dyDescent="0.25" r="4"', 1)
    assert 'mc:Ignorable="x14ac"' in sheet and "x14ac:dyDescent" in sheet
    parts["xl/worksheets/sheet3.xml"] = sheet.encode()
    excel_like = io.BytesIO()
    with zipfile.ZipFile(excel_like, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)

    out = members(feedback.marked_package(excel_like.getvalue(), problems, "dinkes.xlsx"))
    marked = out["xl/worksheets/sheet3.xml"].decode()
    assert 'mc:Ignorable="x14ac"' in marked
    assert 'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"' in marked
    assert 'x14ac:dyDescent="0.25"' in marked and "<legacyDrawing" in marked


def locked_participant_file(cfg, tmp_path, out):
    """A returned plan whose input cells came back locked (pasted with source formatting
    from another workbook), with an extra header column and an empty Nama Pengisi."""
    from openpyxl.styles import Protection

    path = make_plan(cfg, tmp_path / "tpl", tmp_path / "src.xlsx", DINKES,
                     [good_row(cfg, elemen="Wajah Kota", deskripsi=None, satuan=None,
                               **{f"anggaran_{cfg.first_year}": "sejuta"})],
                     identity={"nip": "198501012010012001"})
    book = load_workbook(path)
    program = book[layout.SHEET_PROGRAM]
    for key in ("elemen", "satuan", "deskripsi", f"anggaran_{cfg.first_year}"):
        program[program_cell(program, key, 0)].protection = Protection(locked=True)
    program.cell(layout.PROGRAM_HEADER_ROW, program.max_column + 1, "Catatan Kami")
    nama_pengisi = book[layout.SHEET_IDENTITY]["B5"]
    nama_pengisi.protection = Protection(locked=True)
    book.save(out)
    return out


@pytest.mark.parametrize("returned", [False, True])
def test_every_flagged_input_cell_is_unlocked_and_the_rest_stays_locked(cfg, tmp_path,
                                                                        returned):
    path = locked_participant_file(cfg, tmp_path, tmp_path / "dinkes.xlsx")
    problems = problems_of(path, cfg)
    if returned:  # a feedback workbook sent back unchanged is marked again
        first = feedback.write_feedback(path, tmp_path / "first.xlsx", problems, "dinkes.xlsx")
        path = tmp_path / "dinkes_umpan_balik.xlsx"
        first.rename(path)
    out = feedback.write_feedback(path, tmp_path / "out" / "dinkes_umpan_balik.xlsx",
                                  problems, "dinkes.xlsx")

    book = load_workbook(out)
    program, identity = book[layout.SHEET_PROGRAM], book[layout.SHEET_IDENTITY]
    flagged = {(p.sheet, p.cell): p for p in problems if p.cell}
    inputs = {key for key, p in flagged.items() if layout.is_input_cell(p.sheet, p.column, p.row)}
    budget = program_cell(program, f"anggaran_{cfg.first_year}", 0)
    assert {(layout.SHEET_PROGRAM, program_cell(program, key, 0))
            for key in ("elemen", "satuan", "deskripsi")} | {
        (layout.SHEET_PROGRAM, budget), (layout.SHEET_IDENTITY, "B5")} <= inputs
    for sheet, ref in inputs:
        assert book[sheet][ref].protection.locked is False, (sheet, ref)
    # The extra header is flagged but stays locked, like No and Total of the row.
    header = [key for key in flagged if key not in inputs]
    assert header and all(book[s][r].protection.locked for s, r in header)
    assert program["A4"].protection.locked
    assert program[program_cell(program, "total_anggaran", 0)].protection.locked
    assert program.protection.sheet and identity.protection.sheet
    # Derived from the cell's own format: the money format stays.
    assert program[budget].number_format == load_workbook(path)[layout.SHEET_PROGRAM][
        budget].number_format
