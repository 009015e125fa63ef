"""Cell comments of one worksheet in an `ooxml.Package`: added, merged, and taken back.

An Excel comment lives in two parts: its text in a comments part, its pop-up box as a
shape in a VML drawing the sheet points at with <legacyDrawing>. A sheet may already
have both (the participant's own notes, or the marks of an earlier feedback workbook):
new comments join those parts, so every comment of the sheet stays. A participant's
comment on a cell we mark keeps its text after ours; taking our marks back (a returned
feedback workbook) removes our text and leaves theirs.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from lxml import etree

from ...common import ooxml
from ...common.xlstyle import a1

V = "urn:schemas-microsoft-com:vml"
O = "urn:schemas-microsoft-com:office:office"  # noqa: E741 (the VML prefix)
X = "urn:schemas-microsoft-com:office:excel"
_SHAPES_PER_BLOCK = 1024  # VML shape ids come in blocks the drawing's o:idmap lists
_SHAPE_ID = re.compile(r"_x0000_s(\d+)$")
_EMPTY_COMMENTS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns='
                   f'"{ooxml.MAIN}"><authors/><commentList/></comments>').encode()
_EMPTY_DRAWING = (
    f'<xml xmlns:v="{V}" xmlns:o="{O}" xmlns:x="{X}"><o:shapelayout v:ext="edit"><o:idmap '
    'v:ext="edit" data="{block}"/></o:shapelayout><v:shapetype id="_x0000_t202" '
    'coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke '
    'joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype></xml>')


def _run(text: str) -> str:
    return (f'<r xmlns="{ooxml.MAIN}"><rPr><sz val="9"/><rFont val="Tahoma"/></rPr>'
            f'<t xml:space="preserve">{escape(ooxml.xml_text(text))}</t></r>')


def _shape(shape_id: int, z: int, row: int, column: int, text: str) -> str:
    lines = min(4 + len(text) // 45, 22)  # rows the box covers
    anchor = f"{column}, 15, {max(row - 2, 0)}, 2, {column + 4}, 15, {row - 2 + lines}, 4"
    return (f'<v:shape xmlns:v="{V}" xmlns:o="{O}" xmlns:x="{X}" id="_x0000_s{shape_id}" '
            'type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;margin-top:'
            f'1.5pt;width:270pt;height:{15 * lines}pt;z-index:{z};visibility:hidden" '
            'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow '
            'on="t" color="black" obscured="t"/><v:path o:connecttype="none"/><v:textbox '
            'style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
            '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f'<x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill>'
            f'<x:Row>{row - 1}</x:Row><x:Column>{column - 1}</x:Column></x:ClientData>'
            '</v:shape>')


class SheetComments:
    """The comments of one worksheet part, created on first use."""

    def __init__(self, package: ooxml.Package, part: str, sheet: ooxml.SheetCells,
                 block: int):
        self.package, self.part, self.sheet = package, part, sheet
        self._block = block  # shape id block for a drawing this sheet does not have yet
        related = {kind: (rid, path) for rid, kind, path in package.related(part)}
        self._comments = related.get("comments")
        legacy = sheet.root.find(ooxml.q("legacyDrawing"))
        rid = None if legacy is None else legacy.get(f"{{{ooxml.R}}}id")
        self._drawing = next(((r, path) for r, kind, path in package.related(part)
                              if r == rid and kind == "vmlDrawing"), None)
        if legacy is not None and self._drawing is None:
            raise ooxml.Unsupported("legacyDrawing without its VML part")
        # (row, column) -> comment / note shape, indexed once: a file may have thousands.
        self._comment_by_cell: dict[tuple[int, int], etree._Element] | None = None
        self._shape_by_cell: dict[tuple[int, int], etree._Element] | None = None
        self._last_shape_id: int | None = None

    # --- the two parts ---------------------------------------------------------------

    def _comments_root(self, create: bool) -> etree._Element | None:
        if self._comments is None:
            if not create:
                return None
            path = self.package.free_name("xl/comments{}.xml")
            self.package.add_part(path, _EMPTY_COMMENTS, ooxml.COMMENTS_TYPE)
            self._comments = (self.package.relate(self.part, "comments", path), path)
        root = self.package.tree(self._comments[1], edit=True)
        if root.find(ooxml.q("commentList")) is None or root.find(ooxml.q("authors")) is None:
            raise ooxml.Unsupported("comments part without authors or commentList")
        if self._comment_by_cell is None:
            self._comment_by_cell = {ooxml.split_ref(c.get("ref", "")): c
                                     for c in root.find(ooxml.q("commentList"))}
        return root

    def _drawing_root(self, create: bool) -> etree._Element | None:
        if self._drawing is None:
            if not create:
                return None
            path = self.package.free_name("xl/drawings/vmlDrawing{}.vml")
            self.package.add_part(path, _EMPTY_DRAWING.format(block=self._block).encode(), None)
            self.package.ensure_default_type("vml", ooxml.VML_TYPE)
            rid = self.package.relate(self.part, "vmlDrawing", path)
            self.sheet.add_legacy_drawing(rid)
            self._drawing = (rid, path)
        try:
            drawing = self.package.tree(self._drawing[1], edit=True)
        except etree.XMLSyntaxError as exc:  # Excel's VML is not always well-formed XML
            raise ooxml.Unsupported(f"VML drawing: {exc}") from exc
        if self._shape_by_cell is None:
            self._shape_by_cell = {}
            for shape in drawing.iter(f"{{{V}}}shape"):
                data = shape.find(f"{{{X}}}ClientData")
                row, column = (None, None) if data is None else (
                    data.findtext(f"{{{X}}}Row"), data.findtext(f"{{{X}}}Column"))
                if data is not None and data.get("ObjectType") == "Note" \
                        and (row or "").isdigit() and (column or "").isdigit():
                    self._shape_by_cell[(int(row) + 1, int(column) + 1)] = shape
        return drawing

    # --- adding ----------------------------------------------------------------------

    def add(self, ref: str, text: str, author: str) -> None:
        """Our comment on `ref`; a comment already there keeps its text after ours."""
        root = self._comments_root(create=True)
        author_id = self._author_id(root, author)
        row, column = ooxml.split_ref(ref)
        existing = self._comment_by_cell.get((row, column))
        ours = etree.fromstring(_run(text))
        if existing is not None:
            body = existing.find(ooxml.q("text"))
            plain = body.find(ooxml.q("t"))
            if plain is not None:  # a plain <t> becomes a run, so ours can go first
                run = etree.Element(ooxml.q("r"))
                plain.addprevious(run)
                run.append(plain)
            ours.find(ooxml.q("t")).text += "\n\n"
            body.insert(0, ours)
            existing.set("authorId", str(author_id))
        else:
            comment = etree.SubElement(root.find(ooxml.q("commentList")), ooxml.q("comment"),
                                       ref=a1(column - 1, row),
                                       authorId=str(author_id))
            etree.SubElement(comment, ooxml.q("text")).append(ours)
            self._comment_by_cell[(row, column)] = comment
        drawing = self._drawing_root(create=True)
        if (row, column) in self._shape_by_cell:
            return
        shape_id = self._next_shape_id(drawing)
        shape = etree.fromstring(_shape(shape_id, len(self._shape_by_cell) + 1, row, column,
                                        text))
        drawing.append(shape)
        self._shape_by_cell[(row, column)] = shape

    @staticmethod
    def _author_id(root: etree._Element, author: str) -> int:
        authors = root.find(ooxml.q("authors"))
        names = [a.text or "" for a in authors]
        if author in names:
            return names.index(author)
        etree.SubElement(authors, ooxml.q("author")).text = author
        return len(names)

    def _next_shape_id(self, drawing: etree._Element) -> int:
        """A shape id above every id in the drawing, in a block its o:idmap lists."""
        idmap = drawing.find(f"{{{O}}}shapelayout/{{{O}}}idmap")
        if idmap is None:
            raise ooxml.Unsupported("VML drawing without o:idmap")
        blocks = [int(b) for b in re.findall(r"\d+", idmap.get("data", ""))]
        if self._last_shape_id is None:  # first new shape: after every id there
            taken = [int(m.group(1)) for shape in drawing.iter() if isinstance(shape.tag, str)
                     and (m := _SHAPE_ID.match(shape.get("id", "")))]
            self._last_shape_id = max(taken, default=min(blocks, default=self._block)
                                      * _SHAPES_PER_BLOCK)
            if drawing.find(f"{{{V}}}shapetype[@id='_x0000_t202']") is None:
                shapetype = etree.fromstring(_EMPTY_DRAWING.format(block=0)).find(
                    f"{{{V}}}shapetype")
                drawing.find(f"{{{O}}}shapelayout").addnext(shapetype)
        self._last_shape_id += 1
        block = self._last_shape_id // _SHAPES_PER_BLOCK
        if block not in blocks:
            idmap.set("data", ",".join(str(b) for b in [*blocks, block]))
        return self._last_shape_id

    # --- taking our marks back -------------------------------------------------------

    def take_back(self, refs: set[tuple[int, int]], author: str) -> None:
        """Remove our comments from these cells (a participant's text in them stays), and
        the parts themselves when nothing is left in them."""
        root = self._comments_root(create=False)
        if root is None:
            return
        names = [a.text or "" for a in root.find(ooxml.q("authors"))]
        for at in refs:
            comment = self._comment_by_cell.get(at)
            author_id = comment.get("authorId", "") if comment is not None else ""
            if not author_id.isdigit() or int(author_id) >= len(names) \
                    or names[int(author_id)] != author:
                continue
            runs = comment.find(ooxml.q("text")).findall(ooxml.q("r"))
            if len(runs) > 1:  # theirs after ours: keep theirs
                runs[0].getparent().remove(runs[0])
                continue
            comment.getparent().remove(comment)
            del self._comment_by_cell[at]
            self._drawing_root(create=False)
            shape = (self._shape_by_cell or {}).pop(at, None)
            if shape is not None:
                shape.getparent().remove(shape)
        if not len(root.find(ooxml.q("commentList"))):
            self._drop_parts()

    def _drop_parts(self) -> None:
        drawing = self._drawing_root(create=False)
        rid, path = self._comments
        self.package.unrelate(self.part, rid)
        self.package.remove_part(path)
        self._comments = None
        if drawing is not None and not len(drawing.findall(f"{{{V}}}shape")):
            rid, path = self._drawing
            self.package.unrelate(self.part, rid)
            self.package.remove_part(path)
            self._drawing = None
            legacy = self.sheet.root.find(ooxml.q("legacyDrawing"))
            self.sheet.root.remove(legacy)
