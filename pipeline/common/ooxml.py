"""Edit an .xlsx package in place: its parts, relationships, content types and styles.

The feedback workbook is the participant's own file with a few cells marked. Loading the
whole workbook into openpyxl and saving it again is an order of magnitude slower and drops
what openpyxl does not model (images, shapes, form controls); editing only the parts that
change keeps everything else byte for byte (benchmarks/stages.py times it). This module knows the
package (zip members, .rels, [Content_Types].xml) and the few spreadsheet parts we
touch; `feedback` decides what to mark.

Anything this module does not expect (strict OOXML, rows or cells without references)
raises `Unsupported`; `feedback` then has openpyxl re-save the file before editing it.
"""

from __future__ import annotations

import bisect
import copy
import io
import posixpath
import re
import zipfile
from collections.abc import Callable

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_TYPE = R + "/"  # + worksheet, styles, comments, vmlDrawing, officeDocument
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"

# What may follow <legacyDrawing> in a worksheet (ECMA-376 CT_Worksheet order).
_AFTER_LEGACY_DRAWING = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                         "webPublishItems", "tableParts", "extLst")
# What may precede <definedNames> in a workbook.
_BEFORE_DEFINED_NAMES = ("sheets", "functionGroups", "externalReferences")
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False)


class Unsupported(Exception):
    """The package is not one this module edits safely as it is."""


def q(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


def xml_text(value) -> str:
    """Text safe inside XML 1.0 (participants paste control characters from Word)."""
    return _ILLEGAL_XML.sub("", "" if value is None else str(value))


def column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index


def split_ref(ref: str) -> tuple[int, int]:
    """'F12' -> (12, 6): row and column, 1-based."""
    match = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", ref.upper())
    if not match:
        raise Unsupported(f"cell reference {ref!r}")
    return int(match.group(2)), column_index(match.group(1))


class Package:
    """An .xlsx opened for editing: parts are parsed on first use and written back on save."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.members = {info.filename: archive.read(info) for info in archive.infolist()
                            if not info.is_dir()}
        self._trees: dict[str, etree._Element] = {}
        self._edited: set[str] = set()  # parts to serialise again; the rest stay as they were
        self.workbook_part = self._office_document()
        self.workbook = self.tree(self.workbook_part, edit=True)
        if self.workbook.tag != q("workbook"):
            raise Unsupported("not a transitional SpreadsheetML workbook")
        self.sheet_parts = self._sheet_parts()

    # --- parts and relationships -----------------------------------------------------

    def tree(self, part: str, edit: bool = False) -> etree._Element:
        """The parsed part; with edit=True it is written back on save."""
        if edit:
            self._edited.add(part)
        if part not in self._trees:
            if part not in self.members:
                raise Unsupported(f"missing part {part}")
            self._trees[part] = _parse(self.members[part])
        return self._trees[part]

    def add_part(self, part: str, content: bytes, content_type: str | None) -> None:
        """A new part; without a content type it is typed by its extension's Default."""
        self.members[part] = content
        if content_type:
            types = self.tree("[Content_Types].xml", edit=True)
            etree.SubElement(types, f"{{{CONTENT_TYPES}}}Override", PartName="/" + part,
                             ContentType=content_type)

    def remove_part(self, part: str) -> None:
        """Drop a part, its own relationships and its content type override (the caller
        removes the relationships that point at it)."""
        for name in (part, rels_part(part)):
            self.members.pop(name, None)
            self._trees.pop(name, None)
            self._edited.discard(name)
        types = self.tree("[Content_Types].xml", edit=True)
        for override in types.findall(f"{{{CONTENT_TYPES}}}Override"):
            if override.get("PartName") == "/" + part:
                types.remove(override)

    def unrelate(self, part: str, rid: str) -> None:
        root = self.relationships(part)
        for rel in [] if root is None else list(root):
            if rel.get("Id") == rid:
                root.remove(rel)
                self._edited.add(rels_part(part))

    def ensure_default_type(self, extension: str, content_type: str) -> None:
        types = self.tree("[Content_Types].xml", edit=True)
        for default in types.iter(f"{{{CONTENT_TYPES}}}Default"):
            if default.get("Extension", "").lower() == extension:
                return
        types.insert(0, etree.Element(f"{{{CONTENT_TYPES}}}Default", Extension=extension,
                                      ContentType=content_type))

    def free_name(self, pattern: str) -> str:
        """The first of pattern.format(1), (2), ... that is not a member yet."""
        n = 1
        while pattern.format(n) in self.members:
            n += 1
        return pattern.format(n)

    def relationships(self, part: str, create: bool = False) -> etree._Element | None:
        rels = rels_part(part)
        if rels not in self.members and rels not in self._trees:
            if not create:
                return None
            self._trees[rels] = etree.Element(f"{{{PACKAGE_RELS}}}Relationships",
                                              nsmap={None: PACKAGE_RELS})
            self.members[rels] = b""
        return self.tree(rels, edit=create)

    def related(self, part: str) -> list[tuple[str, str, str]]:
        """(id, type name, target part) of each internal relationship of `part`."""
        root = self.relationships(part)
        return [] if root is None else relationship_targets(root, part)

    def relate(self, part: str, type_name: str, target: str) -> str:
        """Add a relationship from `part` to the part `target`; return its new id."""
        root = self.relationships(part, create=True)
        taken = {rel.get("Id") for rel in root}
        n = len(taken) + 1
        while f"rId{n}" in taken:
            n += 1
        relative = posixpath.relpath(target, posixpath.dirname(part) or ".")
        etree.SubElement(root, f"{{{PACKAGE_RELS}}}Relationship", Id=f"rId{n}",
                         Type=REL_TYPE + type_name, Target=relative)
        return f"rId{n}"

    def _office_document(self) -> str:
        part = office_document(self.related(""))
        if part is None:
            raise Unsupported("no officeDocument relationship")
        return part

    def cell_text_reader(self) -> Callable[[etree._Element], str]:
        """A reader of cell text (shared, inline or formula strings, numbers as written)
        for cells of the worksheets of this package."""
        shared: list[str] = []
        for _, type_name, path in self.related(self.workbook_part):
            if type_name == "sharedStrings":
                shared = ["".join(item.itertext()) for item in self.tree(path)
                          if item.tag == q("si")]

        def text(cell: etree._Element) -> str:
            kind = cell.get("t")
            if kind == "inlineStr":
                found = cell.find(q("is"))
                return "" if found is None else "".join(found.itertext())
            value = cell.findtext(q("v")) or ""
            if kind == "s":
                index = int(value) if value.isdigit() else -1
                return shared[index] if 0 <= index < len(shared) else ""
            return value
        return text

    def _sheet_parts(self) -> dict[str, str]:
        return sheet_map(self.workbook, self.related(self.workbook_part))

    def styles(self) -> Styles:
        for _, type_name, path in self.related(self.workbook_part):
            if type_name == "styles":
                return Styles(self.tree(path, edit=True))
        raise Unsupported("no styles part")

    # --- saving ----------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        names = ["[Content_Types].xml", *(n for n in self.members if n != "[Content_Types].xml")]
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in names:
                data = self.members[name]
                if name in self._edited:
                    data = etree.tostring(self._trees[name], xml_declaration=True,
                                          encoding="UTF-8", standalone=True)
                archive.writestr(name, data)
        return out.getvalue()


class Styles:
    """The cell formats of styles.xml, grown only by appending (existing ids stay valid)."""

    def __init__(self, root: etree._Element):
        self.root = root
        self.fonts, self.fills, self.xfs = (root.find(q(tag)) for tag in
                                            ("fonts", "fills", "cellXfs"))
        if self.fonts is None or self.fills is None or self.xfs is None or not len(self.xfs) \
                or root.find(q("cellStyleXfs")) is None:  # our formats point at style 0
            raise Unsupported("styles without fonts, fills or cell formats")
        self._derived: dict[tuple[int, int, bool], int] = {}

    @staticmethod
    def _append(parent: etree._Element, child: etree._Element) -> int:
        parent.append(child)
        parent.set("count", str(len(parent)))
        return len(parent) - 1

    def add_fill(self, rgb: str) -> int:
        fill = etree.Element(q("fill"))
        pattern = etree.SubElement(fill, q("patternFill"), patternType="solid")
        etree.SubElement(pattern, q("fgColor"), rgb="FF" + rgb)
        etree.SubElement(pattern, q("bgColor"), indexed="64")
        return self._append(self.fills, fill)

    def add_font(self, *, bold: bool = False, size: int = 11, rgb: str | None = None,
                 underline: bool = False) -> int:
        font = etree.Element(q("font"))
        if bold:
            etree.SubElement(font, q("b"))
        if underline:
            etree.SubElement(font, q("u"))
        etree.SubElement(font, q("sz"), val=str(size))
        if rgb:
            etree.SubElement(font, q("color"), rgb="FF" + rgb)
        etree.SubElement(font, q("name"), val="Calibri")
        etree.SubElement(font, q("family"), val="2")
        return self._append(self.fonts, font)

    def add_xf(self, *, font: int = 0, fill: int = 0, wrap: bool = False) -> int:
        xf = etree.Element(q("xf"), numFmtId="0", fontId=str(font), fillId=str(fill),
                           borderId="0", xfId="0", applyFont="1", applyFill="1")
        if wrap:
            xf.set("applyAlignment", "1")
            etree.SubElement(xf, q("alignment"), vertical="top", wrapText="1")
        return self._append(self.xfs, xf)

    def with_fill(self, xf_id: int, fill: int, unlock: bool = False) -> int:
        """A copy of cell format `xf_id` (font, border, number format kept) with another
        fill; with unlock=True also unlocked, so the cell can be typed into on a protected
        sheet (whatever format the participant's file gave it)."""
        key = (xf_id, fill, unlock)
        if key not in self._derived:
            base = self.xfs[xf_id] if 0 <= xf_id < len(self.xfs) else self.xfs[0]
            xf = copy.deepcopy(base)
            xf.set("fillId", str(fill))
            xf.set("applyFill", "1")
            if unlock:
                _unlock(xf)
            self._derived[key] = self._append(self.xfs, xf)
        return self._derived[key]


def _unlock(xf: etree._Element) -> None:
    """Set <protection locked="0"/> on a cell format (after <alignment>, before <extLst>,
    as the schema orders them); hidden formulas stay as they were."""
    protection = xf.find(q("protection"))
    if protection is None:
        protection = etree.Element(q("protection"))
        ext = xf.find(q("extLst"))
        if ext is not None:
            ext.addprevious(protection)
        else:
            xf.append(protection)
    protection.set("locked", "0")
    xf.set("applyProtection", "1")


class SheetCells:
    """The cells of one worksheet's XML, found or created in row and column order."""

    def __init__(self, root: etree._Element):
        self.root = root
        self.data = root.find(q("sheetData"))
        if self.data is None:
            raise Unsupported("worksheet without sheetData")
        self.rows: dict[int, etree._Element] = {}
        for row in self.data.iterchildren(q("row")):
            number = row.get("r")
            if number is None:
                raise Unsupported("row without a number")
            self.rows[int(number)] = row
        self._row_numbers = sorted(self.rows)
        self._column_styles = [(int(col.get("min", 0)), int(col.get("max", 0)),
                                int(col.get("style", 0)))
                               for col in root.iterfind(f"{q('cols')}/{q('col')}")]

    def style_of_new_cell(self, row: etree._Element, column: int) -> int:
        """What a spreadsheet shows for a blank cell: its row's format, else its column's."""
        if row.get("customFormat") in ("1", "true") and row.get("s"):
            return int(row.get("s"))
        for low, high, style in self._column_styles:
            if low <= column <= high:
                return style
        return 0

    def cell(self, ref: str) -> tuple[etree._Element, int]:
        """The <c> element for `ref` (created when the cell is blank) and its style id."""
        row_number, column = split_ref(ref)
        row = self.rows.get(row_number)
        if row is None:
            row = etree.Element(q("row"), r=str(row_number))
            at = bisect.bisect(self._row_numbers, row_number)
            if at < len(self._row_numbers):
                self.rows[self._row_numbers[at]].addprevious(row)
            else:
                self.data.append(row)
            self._row_numbers.insert(at, row_number)
            self.rows[row_number] = row
        cells = list(row.iterchildren(q("c")))
        columns = []
        for c in cells:
            if c.get("r") is None:
                raise Unsupported("cell without a reference")
            found_row, found_column = split_ref(c.get("r"))
            if found_column == column:
                return c, int(c.get("s", 0))
            columns.append(found_column)
        new = etree.Element(q("c"), r=ref.upper().replace("$", ""))
        at = bisect.bisect(columns, column)
        if at < len(cells):
            cells[at].addprevious(new)
        else:
            row.append(new)
        return new, self.style_of_new_cell(row, column)

    def add_legacy_drawing(self, rid: str) -> None:
        """Point the sheet at its comment shapes, in the place the schema wants it."""
        element = etree.Element(q("legacyDrawing"), {f"{{{R}}}id": rid}, nsmap={"r": R})
        for child in self.root:
            if isinstance(child.tag, str) and \
                    etree.QName(child).localname in _AFTER_LEGACY_DRAWING:
                child.addprevious(element)
                return
        self.root.append(element)


# --- the package's map, also for readers that only look (reading.Book) -------------------


def rels_part(part: str) -> str:
    """The relationships part of `part` ("" for the package itself)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def relationship_targets(rels: etree._Element, part: str) -> list[tuple[str, str, str]]:
    """(id, type name, target part) of each internal relationship in `rels` of `part`."""
    found = []
    for rel in rels.iter(f"{{{PACKAGE_RELS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(posixpath.dirname(part), target))
        found.append((rel.get("Id"), rel.get("Type", "").rsplit("/", 1)[-1], path))
    return found


def office_document(package_rels: list[tuple[str, str, str]]) -> str | None:
    return next((path for _, kind, path in package_rels if kind == "officeDocument"), None)


def sheet_map(workbook: etree._Element, workbook_rels: list[tuple[str, str, str]],
              ) -> dict[str, str]:
    """Sheet name -> worksheet part, from the workbook part and its relationships."""
    targets = {rid: path for rid, kind, path in workbook_rels if kind == "worksheet"}
    return {sheet.get("name"): targets[sheet.get(f"{{{R}}}id")]
            for sheet in workbook.iter(q("sheet")) if sheet.get(f"{{{R}}}id") in targets}


def sheet_parts(read: Callable[[str], bytes]) -> dict[str, str]:
    """Sheet name -> worksheet part of the package whose members `read` returns ({} for
    a package that is not a transitional SpreadsheetML workbook)."""
    book_part = office_document(relationship_targets(_parse(read(rels_part(""))), ""))
    if book_part is None:
        return {}
    workbook = _parse(read(book_part))
    if workbook.tag != q("workbook"):
        return {}
    return sheet_map(workbook, relationship_targets(_parse(read(rels_part(book_part))),
                                                    book_part))


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def insert_defined_names(workbook: etree._Element) -> etree._Element:
    names = workbook.find(q("definedNames"))
    if names is None:
        names = etree.Element(q("definedNames"))
        anchor = None
        for child in workbook:
            if isinstance(child.tag, str) and \
                    etree.QName(child).localname in _BEFORE_DEFINED_NAMES:
                anchor = child
        if anchor is None:
            raise Unsupported("workbook without sheets")
        anchor.addnext(names)
    return names
