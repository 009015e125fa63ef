"""The masterplan book as a Word document (python-docx), made for an editor to restyle.

Everything an editor restyles is a named style: headings (Word's Heading 1-2, numbered
through the heading style, so captions read "Tabel 4.2"), Caption, the table style
`Tabel Masterplan`, and the paragraph styles `Isi Tabel` / `Kepala Tabel` of the text in
tables. Captions and the table of contents are Word fields (STYLEREF + SEQ, TOC) with
the values already filled in, so the document reads right before any field update.

Tables are built as one XML string and parsed once: python-docx's per-cell API is about
ten times slower (benchmarks/book.py measures both on 3,000 rows x 14 columns), which is
minutes for a national roll-up. Participant text is
escaped into `w:t` text, so it never becomes markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docx.shared import Cm, Pt, RGBColor

from ...assemble.consolidate import TOTAL, Consolidated, budget_keys
from ...common.idtext import millions, significant, thousands
from ...common.idtext import rupiah as money
from ...config import Config
from ...results import OpdStatus
from .alignment import alignment_chapter
from .monitoring import monitoring_chapter

TABLE_STYLE = "Tabel Masterplan"
CELL_STYLE = "Isi Tabel"
HEADER_STYLE = "Kepala Tabel"
HEADING_NUMBERING = ("%1", "%1.%2")  # Heading 1, Heading 2
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
# Characters XML 1.0 does not allow; a participant's cell may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_W = nsdecls("w")


# --- formats -------------------------------------------------------------------------------

def number(value: float | None) -> str:
    """A target: 12.5 -> '12,5', 90.0 -> '90', missing -> '-'."""
    if value is None or pd.isna(value):
        return "-"
    return significant(value)


def long_date(iso: str | None) -> str:
    if not iso:
        return "-"
    day = date.fromisoformat(iso[:10])
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def text(value) -> str:
    """Participant text as plain text: blank for missing, no XML-illegal characters."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return _NOT_XML.sub("", str(value))


# --- the document and its styles ------------------------------------------------------------

def new_document(reference: Path | None):
    """(document, its styles by name): the reference document with an empty body (its
    styles, page, headers kept), or a clean A4 default."""
    doc = Document(str(reference)) if reference else Document()
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    styles = _ensure_styles(doc)
    if reference is None:
        section = doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.5)
        _page_number_footer(section)
        styles["Caption"].font.color.rgb = RGBColor(0, 0, 0)  # the template's is blue
    _update_fields_on_open(doc)
    return doc, styles


# What may follow w:updateFields in w:settings (the schema fixes the order, Word checks it).
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")


def _update_fields_on_open(doc) -> None:
    """Word refreshes the TOC and the caption numbers when the document is opened."""
    settings = doc.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    settings.insert_element_before(parse_xml(f'<w:updateFields {_W} w:val="true"/>'),
                                   *_AFTER_UPDATE_FIELDS)


def _ensure_styles(doc) -> dict:
    """The styles the book uses, by name; a reference document's own ones are kept (found
    by name in any letter case: Word writes "heading 1", LibreOffice "Caption"), missing
    ones added. "List Bullet" is used only when the document has it (None otherwise)."""
    existing = {style.name.casefold(): style for style in doc.styles if style.name}
    base = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    found: dict = {"List Bullet": existing.get("list bullet")}

    def style(name: str, kind=WD_STYLE_TYPE.PARAGRAPH, based_on=base):
        if name.casefold() in existing:
            found[name] = existing[name.casefold()]
            return None
        found[name] = doc.styles.add_style(name, kind)
        if based_on is not None:
            found[name].base_style = based_on
        return found[name]

    for level, size in ((1, 16), (2, 13)):
        if new := style(f"Heading {level}"):
            new.font.bold, new.font.size = True, Pt(size)
            new.paragraph_format.keep_with_next = True
            new.paragraph_format.space_before = Pt(18 if level == 1 else 12)
            new.element.get_or_add_pPr().append(
                parse_xml(f'<w:outlineLvl {_W} w:val="{level - 1}"/>'))
    for name, size in (("Title", 24), ("Caption", 9)):
        if new := style(name):
            new.font.size, new.font.bold = Pt(size), True
    if new := style(CELL_STYLE):
        new.font.size = Pt(8)
        new.paragraph_format.space_before = new.paragraph_format.space_after = Pt(1)
        new.paragraph_format.line_spacing = 1.0
    if new := style(HEADER_STYLE, based_on=found[CELL_STYLE]):
        new.font.bold = True
    if new := style(TABLE_STYLE, WD_STYLE_TYPE.TABLE, based_on=None):
        border = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
                         for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        new.element.append(parse_xml(
            f'<w:tblPr {_W}><w:tblBorders>{border}</w:tblBorders><w:tblCellMar>'
            '<w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar>'
            '</w:tblPr>'))
        new.element.append(parse_xml(
            f'<w:tblStylePr {_W} w:type="firstRow"><w:tcPr><w:shd w:val="clear" '
            'w:color="auto" w:fill="D9E2F3"/></w:tcPr></w:tblStylePr>'))
    _number_headings(doc, [found["Heading 1"], found["Heading 2"]])
    return found


def _number_headings(doc, headings: list) -> None:
    """Number Heading 1 and 2 through their styles (1, 1.1), unless already numbered."""
    first = headings[0].element
    if first.pPr is not None and first.pPr.numPr is not None:
        return
    numbering = _numbering_part(doc).element
    ids = [int(n) for n in numbering.xpath("./w:abstractNum/@w:abstractNumId | ./w:num/@w:numId")]
    new_id = max(ids, default=0) + 1
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:pStyle w:val="{headings[i].style_id}"/>'
        f'<w:lvlText w:val="{pattern}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{567 + 142 * i}" w:hanging="{567 + 142 * i}"/></w:pPr></w:lvl>'
        for i, pattern in enumerate(HEADING_NUMBERING))
    abstract = parse_xml(f'<w:abstractNum {_W} w:abstractNumId="{new_id}">'
                         f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>')
    # abstractNum elements must come before every num element.
    first_num = numbering.find(qn("w:num"))
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)
    numbering.append(parse_xml(f'<w:num {_W} w:numId="{new_id}">'
                               f'<w:abstractNumId w:val="{new_id}"/></w:num>'))
    for level, heading in enumerate(headings):
        num_pr = heading.element.get_or_add_pPr().get_or_add_numPr()  # in schema order
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = new_id


def _numbering_part(doc):
    """The document's numbering part; a reference document may have none (LibreOffice
    writes none without lists), and python-docx cannot create one."""
    try:
        return doc.part.numbering_part
    except NotImplementedError:
        part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING,
                             parse_xml(f"<w:numbering {_W}/>"), doc.part.package)
        doc.part.relate_to(part, RT.NUMBERING)
        return part


def _page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = 1  # center
    _field(paragraph, "PAGE", "1")


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (begin, instruction, separate, cached result, end) in a paragraph."""
    runs = (f'<w:r {_W}><w:fldChar w:fldCharType="begin"/></w:r>',
            f'<w:r {_W}><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText>'
            '</w:r>',
            f'<w:r {_W}><w:fldChar w:fldCharType="separate"/></w:r>',
            f'<w:r {_W}><w:t xml:space="preserve">{escape(shown)}</w:t></w:r>',
            f'<w:r {_W}><w:fldChar w:fldCharType="end"/></w:r>')
    for run in runs:
        paragraph._p.append(parse_xml(run))


def text_width(doc) -> int:
    """Width between the margins of the current (last) section, in twips."""
    section = doc.sections[-1]
    return int((section.page_width - section.left_margin - section.right_margin) / 635)


def set_landscape(doc, landscape: bool) -> None:
    """Start a new section on a new page, landscape or back to portrait."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    width, height = section.page_width, section.page_height
    if (width > height) != landscape:
        section.page_width, section.page_height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT


# --- tables ----------------------------------------------------------------------------------

class Column:
    """A table column: its header, relative width and whether it holds numbers."""

    def __init__(self, header: str, weight: float, numeric: bool = False):
        self.header, self.weight, self.numeric = header, weight, numeric


def add_table(doc, styles: dict, columns: Sequence[Column], rows: Iterable[Sequence[str]],
              total: Sequence[str] | None = None, keep_together: bool = False) -> None:
    """A table in the book's table style: the header row repeats on every page, no row
    is split across pages; `total` is a bold last row; `keep_together` keeps a small
    table on one page. Built as one XML string."""
    width = text_width(doc)
    weights = sum(c.weight for c in columns)
    widths = [int(width * c.weight / weights) for c in columns]
    cell_style, header_style = styles[CELL_STYLE].style_id, styles[HEADER_STYLE].style_id

    keep = "<w:keepNext/>" if keep_together else ""

    def cell(value: str, i: int, style: str, bold: bool = False) -> str:
        align = '<w:jc w:val="right"/>' if columns[i].numeric else ""
        run_pr = "<w:rPr><w:b/></w:rPr>" if bold else ""
        return (f'<w:tc><w:tcPr><w:tcW w:w="{widths[i]}" w:type="dxa"/></w:tcPr><w:p><w:pPr>'
                f'<w:pStyle w:val="{style}"/>{keep}{align}</w:pPr><w:r>{run_pr}'
                f'<w:t xml:space="preserve">{escape(text(value))}</w:t></w:r></w:p></w:tc>')

    parts = [f'<w:tbl {_W}><w:tblPr><w:tblStyle w:val="{styles[TABLE_STYLE].style_id}"/>'
             f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
             '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
             'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>',
             *(f'<w:gridCol w:w="{w}"/>' for w in widths), '</w:tblGrid>',
             '<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>',
             *(cell(c.header, i, header_style) for i, c in enumerate(columns)), '</w:tr>']
    body_row = '<w:tr><w:trPr><w:cantSplit/></w:trPr>'
    for row in rows:
        parts.append(body_row)
        parts.extend(cell(value, i, cell_style) for i, value in enumerate(row))
        parts.append('</w:tr>')
    if total is not None:
        parts.append(body_row)
        parts.extend(cell(value, i, cell_style, bold=True) for i, value in enumerate(total))
        parts.append('</w:tr>')
    parts.append('</w:tbl>')
    _append_block(doc, parse_xml("".join(parts)))


def _append_block(doc, element) -> None:
    """Append a block element to the body, before the final section properties."""
    body = doc.element.body
    sect_pr = body.find(qn("w:sectPr"))
    if sect_pr is None:
        body.append(element)
    else:
        sect_pr.addprevious(element)


# --- the book ----------------------------------------------------------------------------------

class BookDocument:
    """The document being written, with its chapter, table and figure counters."""

    def __init__(self, doc, styles: dict, cfg: Config, cons: Consolidated):
        self.doc, self.styles, self.cfg, self.cons = doc, styles, cfg, cons
        self.chapter = 0
        self.counters = {"Tabel": 0, "Gambar": 0}

    def chapter_heading(self, title: str, landscape: bool = False) -> None:
        """A chapter starts a new section (a new page), portrait or landscape."""
        set_landscape(self.doc, landscape)
        self.chapter += 1
        self.counters = dict.fromkeys(self.counters, 0)
        self.heading(title, 1)

    def caption(self, kind: str, title: str) -> None:
        """'Tabel 4.2 <title>': chapter number and sequence as Word caption fields."""
        self.counters[kind] += 1
        paragraph = self.paragraph("", "Caption")
        paragraph.add_run(f"{kind} ")
        _field(paragraph, "STYLEREF 1 \\s", str(self.chapter))
        paragraph.add_run(".")
        # \s 1 restarts the count at each chapter in Word; LibreOffice ignores \s but
        # honours \r (restart at), so the chapter's first caption carries both.
        restart = " \\r 1" if self.counters[kind] == 1 else ""
        _field(paragraph, f"SEQ {kind} \\* ARABIC \\s 1{restart}", str(self.counters[kind]))
        paragraph.add_run(f" {text(title)}")
        if kind == "Tabel":  # a table's caption stays on the page of its table
            paragraph.paragraph_format.keep_with_next = True

    def paragraph(self, content: str, style: str | None = None):
        """A paragraph in one of the book's styles (by name, see _ensure_styles)."""
        paragraph = self.doc.add_paragraph(text(content))
        if style:
            # The style id directly: python-docx's style setter scans every style of the
            # document for the default one each time (about a third of a book's time).
            paragraph._p.style = self.styles[style].style_id
        return paragraph

    def heading(self, content: str, level: int):
        return self.paragraph(content, f"Heading {level}")

    def bullet(self, content: str) -> None:
        """A list item: Word's List Bullet style when the document has it."""
        if self.styles["List Bullet"] is not None:
            self.paragraph(content, "List Bullet")
        else:
            self.paragraph(f"- {content}")

    def table(self, title: str, columns: Sequence[Column | tuple],
              rows: Iterable[Sequence[str]], total: Sequence[str] | None = None,
              keep_together: bool = False) -> None:
        """columns: Column, or (header, weight[, numeric]) as chapters outside this module
        give them."""
        self.caption("Tabel", title)
        columns = [c if isinstance(c, Column) else Column(*c) for c in columns]
        add_table(self.doc, self.styles, columns, rows, total, keep_together)
        self.doc.add_paragraph()

    def picture(self, title: str, png) -> None:
        self.doc.add_picture(png, width=Cm(15.5))
        self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        self.caption("Gambar", title)


def build(cfg: Config, cons: Consolidated, statuses: list[OpdStatus], basis: list[dict],
          generated_at: str, reference: Path | None, monitoring=None):
    """The whole book (a python-docx Document, not yet saved); monitoring: `masterplan
    pantau`'s figures when anggaran/ holds documents (its chapter)."""
    book = BookDocument(*new_document(reference), cfg, cons)
    _title_block(book, statuses, basis, generated_at)
    if cons.wide.empty:
        book.chapter_heading("Ringkasan Anggaran")
        book.paragraph("Belum ada rencana OPD yang diterima, sehingga belum ada program dan "
                       "anggaran yang dapat disajikan. Kumpulkan template OPD ke folder inbox/, "
                       "jalankan `masterplan run`, lalu buat buku ini lagi.")
    else:
        _summary_chapter(book)
        for dimension in cfg.dimensions:
            _dimension_chapter(book, dimension)
        _quick_win_chapter(book)
        if cons.alignment is not None:  # a [rujukan] rpjmd list is given
            alignment_chapter(book)
        if monitoring is not None:
            monitoring_chapter(book, monitoring)
    _appendix(book, statuses)
    return book.doc


def _title_block(book: BookDocument, statuses: list[OpdStatus], basis: list[dict],
                 generated_at: str) -> None:
    cfg, doc = book.cfg, book.doc
    book.paragraph(f"Rencana Induk Smart City {cfg.region_name}", "Title")
    book.paragraph(f"Rencana Program dan Anggaran {cfg.period_label}")
    newest = max((entry["received_at"] or "" for entry in basis), default="")
    facts = [("Wilayah", f"{cfg.region_name}" + (f", {cfg.province}" if cfg.province else "")),
             ("Periode", cfg.period_label),
             ("Tanggal data", long_date(newest) if newest else "belum ada rencana diterima"),
             ("Sumber", f"{len(basis)} OPD, {len(basis)} berkas rencana yang diterima "
                        f"(dari {len(statuses)} OPD dalam konfigurasi)"),
             ("Dibuat", long_date(generated_at))]
    for label, value in facts:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(text(value))
    book.paragraph("Daftar Isi", "Title").runs[0].font.size = Pt(16)
    toc = doc.add_paragraph()
    _field(toc, 'TOC \\o "1-2" \\h \\z \\u',
           "Daftar isi diperbarui saat dokumen dibuka di Word (atau klik kanan, Perbarui "
           "Bidang / Update Field).")


# --- chapter 1: budget summary -------------------------------------------------------------

def matrix_rows(matrix: pd.DataFrame) -> tuple[list[list[str]], list[str]]:
    """A budget matrix (category x years + Total, Total row last) as text rows: the years
    in juta Rupiah (ten full Rupiah amounts do not fit across a page), the Total in
    Rupiah."""
    labels = [" - ".join(map(str, k)) if isinstance(k, tuple) else str(k) for k in matrix.index]
    values = matrix.to_numpy(dtype="int64").tolist()
    rows = [[label, *(millions(v) for v in amounts[:-1]), thousands(amounts[-1])]
            for label, amounts in zip(labels, values, strict=True)]
    return rows[:-1], rows[-1]


def _summary_chapter(book: BookDocument) -> None:
    from .charts import charts

    cfg, cons = book.cfg, book.cons
    head = cons.headline
    book.chapter_heading("Ringkasan Anggaran")
    book.paragraph(
        f"Bab ini merangkum rencana program Smart City {cfg.region_name} periode "
        f"{cfg.period_label} dari {head['opd_accepted']} OPD yang rencananya diterima: "
        f"{head['programs']} program dengan total anggaran {money(head['total_budget'])}, "
        f"termasuk {head['quick_wins']} Quick Win untuk tahun {cfg.quick_win_year}.")
    book.table("Angka utama", [Column("Uraian", 3), Column("Nilai", 2, numeric=True)], [
        ("OPD dalam konfigurasi", str(head["opd_expected"])),
        ("OPD yang mengumpulkan berkas", str(head["opd_submitted"])),
        ("OPD yang rencananya diterima", str(head["opd_accepted"])),
        ("Jumlah program", str(head["programs"])),
        (f"Jumlah Quick Win {cfg.quick_win_year}", str(head["quick_wins"])),
        ("Total anggaran", money(head["total_budget"])),
    ], keep_together=True)
    for title, png in charts(cfg, cons):
        book.picture(title, png)

    set_landscape(book.doc, True)
    year_columns = [Column(str(y), 1.5, numeric=True) for y in cons.years]
    for title, label, matrix in (
            ("Anggaran per dimensi dan tahun", "Dimensi", cons.by_dimension),
            ("Anggaran per OPD dan tahun", "OPD", cons.by_opd),
            ("Anggaran per sumber dana dan tahun", "Sumber Dana", cons.by_funding),
            ("Anggaran per jenis program dan tahun", "Jenis Program", cons.by_type)):
        rows, total = matrix_rows(matrix)
        book.table(f"{title} (tahun dalam juta Rupiah, total dalam Rupiah)",
                   [Column(label, 3), *year_columns, Column(f"{TOTAL} (Rp)", 2.6, numeric=True)],
                   rows, total)


# --- one chapter per dimension -------------------------------------------------------------

def dimension_programs(cfg: Config, wide: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """A dimension's programs: elements in config order, then OPD order (as the rekap's
    roadmap sheet)."""
    programs = wide[wide["dimensi"] == dimension]
    rank = {e: i for i, e in enumerate(cfg.dimensions.get(dimension, ()))}
    order = programs["elemen"].map(rank).fillna(len(rank)).to_numpy()
    return programs.iloc[np.argsort(order, kind="stable")]


PROGRAM_COLUMNS = [Column("No", 0.6, numeric=True), Column("Nama Program", 4),
                   Column("OPD", 1.5), Column("Elemen", 2), Column("Jenis", 1.5),
                   Column("Acuan RPJMD/RPD", 2.2), Column("Sumber Dana", 1.6),
                   Column("Total (Rp)", 2.4, numeric=True)]


def _dimension_chapter(book: BookDocument, dimension: str) -> None:
    cfg, cons = book.cfg, book.cons
    programs = dimension_programs(cfg, cons.wide, dimension)
    elements = cfg.dimensions[dimension]
    book.chapter_heading(f"Dimensi {dimension}", landscape=True)
    book.paragraph(f"Dimensi {dimension} terdiri atas {len(elements)} elemen:")
    for element in elements:
        book.bullet(element)
    if programs.empty:
        book.paragraph(f"Dimensi {dimension} belum memiliki program dari OPD mana pun, "
                       "sehingga belum memiliki roadmap maupun Quick Win.")
        return
    budget = int(programs["total_anggaran"].sum())
    book.paragraph(f"Dimensi ini memuat {len(programs)} program dari "
                   f"{programs['opd_kode'].nunique()} OPD dengan total anggaran {money(budget)}.")

    book.heading("Daftar Program", 2)
    rows = zip(programs["nama_program"], programs["opd_singkatan"], programs["elemen"],
               programs["jenis_program"], programs["acuan"], programs["sumber_dana"],
               programs["total_anggaran"], strict=True)
    book.table(f"Program dimensi {dimension}", PROGRAM_COLUMNS,
               ([str(i), *(text(v) for v in row[:-1]), thousands(row[-1])]
                for i, row in enumerate(rows, start=1)),
               ["", TOTAL, "", "", "", "", "", thousands(budget)])

    book.heading("Roadmap", 2)
    budgets = budget_keys(cfg)
    amounts = programs[budgets].to_numpy(dtype="int64").tolist()
    sums = programs[budgets].sum(axis=0).astype("int64").tolist()
    columns = [Column("No", 0.6, numeric=True), Column("Nama Program", 4), Column("OPD", 2),
               *(Column(str(y), 1.3, numeric=True) for y in cfg.years),
               Column(TOTAL, 1.6, numeric=True)]
    rows = ([str(i), text(name), text(opd), *(millions(a) for a in row), millions(sum(row))]
            for i, (name, opd, row) in enumerate(zip(programs["nama_program"],
                                                     programs["opd_singkatan"], amounts,
                                                     strict=True), start=1))
    book.table(f"Roadmap dimensi {dimension} {cfg.period_label} (juta Rupiah)", columns, rows,
               ["", TOTAL, "", *(millions(s) for s in sums), millions(budget)])

    book.heading("Quick Win", 2)
    quick_wins = cons.quick_wins[cons.quick_wins["dimensi"] == dimension]
    if quick_wins.empty:
        book.paragraph(f"Dimensi {dimension} belum memiliki Quick Win untuk tahun "
                       f"{cfg.quick_win_year}.")
        return
    year = cfg.quick_win_year
    rows = zip(quick_wins["nama_program"], quick_wins["opd_singkatan"], quick_wins["elemen"],
               quick_wins["target"], quick_wins["satuan"], quick_wins["anggaran"], strict=True)
    book.table(f"Quick Win dimensi {dimension} tahun {year}",
               [Column("No", 0.6, numeric=True), Column("Nama Program", 4), Column("OPD", 1.5),
                Column("Elemen", 2), Column(f"Target {year}", 1.6, numeric=True),
                Column(f"Anggaran {year} (Rp)", 2.4, numeric=True)],
               ([str(i), text(name), text(opd), text(element),
                 f"{number(target)} {text(unit)}".strip(), thousands(amount)]
                for i, (name, opd, element, target, unit, amount) in enumerate(rows, start=1)))


# --- Quick Win profiles ------------------------------------------------------------------------

def _quick_win_chapter(book: BookDocument) -> None:
    cfg, cons = book.cfg, book.cons
    year = cfg.quick_win_year
    book.chapter_heading("Quick Win")
    quick_wins = cons.quick_wins
    book.paragraph(f"Quick Win adalah program yang hasilnya dirasakan masyarakat pada tahun "
                   f"{year}. Terdapat {len(quick_wins)} Quick Win; profil masing-masing "
                   "disajikan berikut ini.")
    # The description is a program column the Quick Win list does not carry.
    places = zip(cons.wide["file"], cons.wide["row"], strict=True)
    descriptions = dict(zip(places, cons.wide["deskripsi"], strict=True))
    for row in quick_wins.itertuples(index=False):
        book.heading(text(row.nama_program), 2)
        book.table(f"Profil Quick Win {text(row.nama_program)}",
                   [Column("Uraian", 1.2), Column("Isi", 3)], [
                       ("OPD", f"{text(row.opd_singkatan)}"),
                       ("Dimensi", text(row.dimensi)),
                       ("Elemen", text(row.elemen)),
                       ("Deskripsi", text(descriptions.get((row.file, row.row))) or "-"),
                       ("Indikator", text(row.indikator) or "-"),
                       (f"Target {year}", f"{number(row.target)} {text(row.satuan)}".strip()),
                       (f"Anggaran {year}", money(row.anggaran)),
                       ("Manfaat bagi Masyarakat", text(row.manfaat) or "-"),
                   ], keep_together=True)
    without = [d for d in cfg.dimensions if d not in set(quick_wins["dimensi"])]
    book.heading("Dimensi tanpa Quick Win", 2)
    if without:
        book.paragraph(f"Dimensi berikut belum memiliki Quick Win untuk tahun {year}:")
        for dimension in without:
            book.bullet(dimension)
    else:
        book.paragraph(f"Setiap dimensi memiliki paling sedikit satu Quick Win untuk tahun "
                       f"{year}.")


# --- appendix: who contributed ---------------------------------------------------------------

def _appendix(book: BookDocument, statuses: list[OpdStatus]) -> None:
    book.chapter_heading("Lampiran: Status Pengumpulan OPD")
    counted = [s for s in statuses if s.counted_sha256]
    others = [s for s in statuses if not s.counted_sha256]
    book.heading("OPD yang rencananya dihitung", 2)
    if counted:
        book.table("OPD yang rencananya dihitung dalam buku ini",
                   [Column("No", 0.6, numeric=True), Column("Kode", 1.3), Column("OPD", 3.6),
                    Column("Status", 1.6), Column("Berkas", 3.6), Column("Tanggal", 2.3),
                    Column("Program", 1.3, numeric=True)],
                   ([str(i), s.kode, s.nama, s.status, s.counted_file or "",
                     long_date(s.counted_received_at), str(s.n_programs)]
                    for i, s in enumerate(counted, start=1)))
    else:
        book.paragraph("Belum ada OPD yang rencananya diterima.")
    book.heading("OPD yang belum memiliki rencana diterima", 2)
    if others:
        book.table("OPD yang belum memiliki rencana diterima",
                   [Column("No", 0.6, numeric=True), Column("Kode", 1.3), Column("OPD", 4),
                    Column("Status", 2.6), Column("Berkas terakhir", 4.5)],
                   ([str(i), s.kode, s.nama, s.status, s.file or "-"]
                    for i, s in enumerate(others, start=1)))
    else:
        book.paragraph("Semua OPD dalam konfigurasi telah memiliki rencana yang diterima.")
