"""Builders for hostile (and a few honest) files, made at test time: no binary blobs in git.

Every ``make_xxx(path)`` writes one file at ``path`` and returns ``path``. ``CASES`` lists
each hostile kind with the catalogue code the safety check must answer, so other tests
(ingest, reports) can reuse the same corpus with ``build_corpus(folder)``.

Bombs are built without compressing gigabytes: zlib's output for a run of identical
bytes right after a full flush is always the same, so we compress 1 MiB once and repeat
those ~1 KB as often as needed (2 GiB of zeros costs ~2 MB and well under a second).
"""

from __future__ import annotations

import os
import random
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

MIB = 1 << 20
SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


# --- honest workbooks ------------------------------------------------------------------------

_WORDS = ("pengembangan", "layanan", "digital", "aplikasi", "kependudukan", "kabupaten",
          "dinas", "komunikasi", "informatika", "pelatihan", "aparatur", "jaringan", "data",
          "terpadu", "pelayanan", "publik", "sistem", "informasi", "integrasi", "masyarakat",
          "desa", "kelurahan")


def make_good_xlsx(path: Path) -> Path:
    """A small honest workbook (xlsxwriter), with a string, a number and a dropdown."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Program")
    ws.write_string(0, 0, "Nama Program")
    ws.write_string(0, 1, "Anggaran 2026")
    ws.write_string(1, 0, "Aplikasi layanan kependudukan")
    ws.write_number(1, 1, 1_500_000)
    ws.data_validation(1, 2, 50, 2, {"validate": "list", "source": ["Ya", "Tidak"]})
    wb.add_worksheet("Identitas").write_string(0, 0, "OPD")
    wb.close()
    return path


def make_template_xlsxwriter(path: Path, rows: int = 2_000, cols: int = 40,
                             filled: bool = True) -> Path:
    """A template-like workbook: header, borders, money format, dropdowns, a comment.

    ``filled=False`` gives the mostly-empty styled template (every cell carries a style
    but no value), which compresses best of the honest shapes.
    """
    rnd = random.Random(rows * 1000 + cols)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Program")
    header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    money = wb.add_format({"num_format": "#,##0", "border": 1})
    text = wb.add_format({"border": 1, "text_wrap": True})
    for c in range(cols):
        ws.write_string(0, c, f"Kolom {c + 1}", header)
    ws.write_comment(0, 1, "Isi nama program")
    ws.data_validation(1, 3, rows, 3, {"validate": "list", "source": ["Ya", "Tidak"]})
    for r in range(1, rows + 1):
        for c in range(cols):
            fmt = money if c >= cols // 2 else text
            if not filled:
                ws.write_blank(r, c, None, fmt)
            elif c >= cols // 2:
                ws.write_number(r, c, rnd.randrange(0, 5_000_000_000, 1000), fmt)
            else:
                words = rnd.choices(_WORDS, k=rnd.randint(1, 12))
                ws.write_string(r, c, " ".join(words), fmt)
    wb.add_worksheet("Identitas").write_string(0, 0, "OPD")
    wb.close()
    return path


def make_template_openpyxl(path: Path, rows: int = 500, cols: int = 40) -> Path:
    """The same kind of template written by openpyxl (styles, dropdown, comment)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Border, Font, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    rnd = random.Random(rows)
    wb = Workbook()
    ws = wb.active
    ws.title = "Program"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c in range(1, cols + 1):
        ws.cell(1, c, f"Kolom {c}").font = Font(bold=True)
    ws.cell(1, 2).comment = Comment("Isi nama program", "Diskominfo")
    dv = DataValidation(type="list", formula1='"Ya,Tidak"')
    ws.add_data_validation(dv)
    dv.add(f"D2:D{rows + 1}")
    for r in range(2, rows + 2):
        for c in range(1, cols + 1):
            cell = ws.cell(r, c)
            if c > cols // 2:
                cell.value = rnd.randrange(0, 5_000_000_000, 1000)
            else:
                cell.value = " ".join(rnd.choices(_WORDS, k=rnd.randint(1, 12)))
            cell.border = border
    wb.create_sheet("Identitas")["A1"] = "OPD"
    wb.save(path)
    return path


# --- not a zip at all ------------------------------------------------------------------------

def make_empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def make_random_bytes(path: Path, size: int = 64 * 1024, seed: int = 7) -> Path:
    path.write_bytes(random.Random(seed).randbytes(size))
    return path


def make_csv_named_xlsx(path: Path) -> Path:
    """What 'Save as CSV' and then renaming to .xlsx gives."""
    path.write_text("No;Nama Program;Anggaran 2026\n1;Aplikasi layanan;1.500.000\n"
                    "2;Pelatihan aparatur;750.000\n", encoding="utf-8")
    return path


def make_html_named_xlsx(path: Path) -> Path:
    """An HTML table saved with a spreadsheet name (what many web apps export as 'Excel')."""
    path.write_text("<!DOCTYPE html>\n<html><body><table><tr><td>No</td><td>Program</td>"
                    "</tr></table></body></html>\n", encoding="utf-8")
    return path


def make_pdf(path: Path) -> Path:
    """A minimal one-page PDF (what 'Print to PDF' of the template gives)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def make_png(path: Path) -> Path:
    """A 1x1 PNG: a phone photo of the filled sheet, sent instead of the file."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">2I5B", 1, 1, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                     + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))
    return path


def make_big_sparse_zip(path: Path, size: int = 30_000_000) -> Path:
    """A zip signature followed by a 30 MB hole: too big, and must not be read whole."""
    with path.open("wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(size)
    return path


# --- zips that are not workbooks -------------------------------------------------------------

_DOCX_TYPES = (XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
               'content-types"><Override PartName="/word/document.xml" ContentType="'
               'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
               '+xml"/></Types>')


def make_docx(path: Path) -> Path:
    """A .docx-like package (the table copied into Word)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _DOCX_TYPES)
        z.writestr("word/document.xml", XML_DECL + '<w:document xmlns:w="http://schemas.'
                   'openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>')
    return path


def make_pptx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", XML_DECL + "<Types/>")
        z.writestr("ppt/presentation.xml", XML_DECL + "<presentation/>")
    return path


def make_zip_of_xlsx(path: Path) -> Path:
    """A plain zip archive holding a workbook (sent 'zipped' over e-mail)."""
    with tempfile.TemporaryDirectory() as tmp:
        inner = make_good_xlsx(Path(tmp) / "program.xlsx")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(inner, "program.xlsx")
    return path


def make_ods_minimal(path: Path) -> Path:
    """An OpenDocument spreadsheet as far as the detector cares: ``mimetype`` first, stored."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", XML_DECL + "<office:document-content xmlns:office="
                   '"urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
                   compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", XML_DECL + "<manifest/>",
                   compress_type=zipfile.ZIP_DEFLATED)
    return path


# --- broken workbooks ------------------------------------------------------------------------

def make_truncated_xlsx(path: Path) -> Path:
    """The first half of a valid workbook: an interrupted download."""
    with tempfile.TemporaryDirectory() as tmp:
        good = make_template_xlsxwriter(Path(tmp) / "good.xlsx", rows=150)
        data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def make_flipped_byte_xlsx(path: Path) -> Path:
    """A valid workbook with one byte changed in the middle of the sheet's deflate data."""
    with tempfile.TemporaryDirectory() as tmp:
        good = make_template_xlsxwriter(Path(tmp) / "good.xlsx", rows=150)
        data = bytearray(good.read_bytes())
    start, length = member_data_span(data, SHEET)
    data[start + length // 2] ^= 0x55
    path.write_bytes(bytes(data))
    return path


def member_data_span(data: bytes | bytearray, name: str) -> tuple[int, int]:
    """(offset, length) of a member's stored (compressed) bytes inside a zip held in memory."""
    import io

    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo(name)
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    return info.header_offset + 30 + name_len + extra_len, info.compress_size


# --- raw zip writing (to build bombs and lying headers zipfile would refuse to write) --------

@dataclass
class RawMember:
    name: str
    payload: bytes  # the bytes as stored (raw deflate when method is 8)
    crc: int
    size: int  # uncompressed size written into both headers (may be a lie)
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0


def raw_deflated(name: str, data: bytes) -> RawMember:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return RawMember(name, c.compress(data) + c.flush(), zlib.crc32(data), len(data))


def members_of(xlsx: Path, skip: Iterable[str] = ()) -> list[RawMember]:
    """The members of a real workbook, re-deflated, minus the ``skip`` names."""
    with zipfile.ZipFile(xlsx) as z:
        return [raw_deflated(i.filename, z.read(i)) for i in z.infolist()
                if i.filename not in set(skip)]


def write_raw_zip(path: Path, members: list[RawMember], eocd_count: int | None = None,
                  aliases: Iterable[str] = ()) -> Path:
    """Write a zip by hand; sizes and CRC are taken from each member as given.

    Each name in ``aliases`` adds a central-directory entry pointing at the last member's
    data again (the overlap trick of non-recursive zip bombs).
    """
    aliases = list(aliases)
    local_fmt, central_fmt = "<4s5H3L2H", "<4s6H3L5H2L"
    date = (0 << 9) | (1 << 5) | 1  # 1980-01-01, the zip epoch
    with path.open("wb") as f:
        central = bytearray()
        for m in members:
            offset = f.tell()
            name = m.name.encode()
            f.write(struct.pack(local_fmt, b"PK\x03\x04", 20, m.flags, m.method, 0, date,
                                m.crc, len(m.payload), m.size, len(name), 0) + name)
            f.write(m.payload)
            central += struct.pack(central_fmt, b"PK\x01\x02", 20, 20, m.flags, m.method, 0,
                                   date, m.crc, len(m.payload), m.size, len(name), 0, 0, 0,
                                   0, 0, offset) + name
        for alias in aliases:
            extra = alias.encode()
            central += struct.pack(central_fmt, b"PK\x01\x02", 20, 20, m.flags, m.method, 0,
                                   date, m.crc, len(m.payload), m.size, len(extra), 0, 0, 0,
                                   0, 0, offset) + extra
        start = f.tell()
        f.write(central)
        entries = len(members) + len(aliases)
        count = entries if eocd_count is None else eocd_count
        f.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central),
                            start, 0))
    return path


def _repeat_deflated(head: bytes, unit: bytes, times: int, tail: bytes) -> tuple[bytes, int]:
    """Raw deflate of head + unit*times + tail, and its CRC, without compressing it all."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    piece = c.compress(unit) + c.flush(zlib.Z_FULL_FLUSH)  # same bytes for every repeat
    last = c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(unit, crc)
    return first + piece * times + last, zlib.crc32(tail, crc)


def _bomb_base(tmp: str) -> list[RawMember]:
    return members_of(make_good_xlsx(Path(tmp) / "base.xlsx"), skip=[SHEET])


def make_zip_bomb(path: Path, gib: int = 2) -> Path:
    """A workbook whose sheet1.xml is ``gib`` GiB of zeros, sizes declared honestly (~2 MB)."""
    payload, crc = _repeat_deflated(b"", b"\0" * MIB, gib * 1024, b"")
    with tempfile.TemporaryDirectory() as tmp:
        members = _bomb_base(tmp) + [RawMember(SHEET, payload, crc, gib * 1024 * MIB)]
    return write_raw_zip(path, members)


def make_lying_bomb(path: Path) -> Path:
    """sheet1.xml declares 4 KB (with the CRC of its first 4 KB) but inflates to 1 GiB."""
    payload, _ = _repeat_deflated(b"", b"\0" * MIB, 1024, b"")
    declared = 4096
    with tempfile.TemporaryDirectory() as tmp:
        members = _bomb_base(tmp) + [RawMember(SHEET, payload, zlib.crc32(b"\0" * declared),
                                               declared)]
    return write_raw_zip(path, members)


def make_whitespace_bomb(path: Path, mib: int = 100) -> Path:
    """A well-formed sheet1.xml that is ``mib`` MiB of spaces: under the size limits, ~1000x."""
    head = (XML_DECL + f'<worksheet xmlns="{MAIN_NS}"><sheetData>').encode()
    tail = b"</sheetData></worksheet>"
    payload, crc = _repeat_deflated(head, b" " * MIB, mib, tail)
    size = len(head) + mib * MIB + len(tail)
    with tempfile.TemporaryDirectory() as tmp:
        members = _bomb_base(tmp) + [RawMember(SHEET, payload, crc, size)]
    return write_raw_zip(path, members)


def make_many_members(path: Path, count: int = 20_000, eocd_count: int | None = None) -> Path:
    """A workbook padded with ``count`` empty members (a cheap directory bomb)."""
    with tempfile.TemporaryDirectory() as tmp:
        members = members_of(make_good_xlsx(Path(tmp) / "base.xlsx"))
    members += [RawMember(f"xl/media/f{i}.bin", b"", 0, 0, zipfile.ZIP_STORED)
                for i in range(count)]
    return write_raw_zip(path, members, eocd_count=eocd_count)


def make_overlapping_members(path: Path, copies: int = 15) -> Path:
    """One 10 MiB sheet of zeros listed ``copies`` times in the central directory, every
    entry sharing the same ~10 KB of data. Each entry is under the ratio floor and the
    declared total (~160 MB) under the limit: only the overlap gives it away."""
    payload, crc = _repeat_deflated(b"", b"\0" * MIB, 10, b"")
    with tempfile.TemporaryDirectory() as tmp:
        members = _bomb_base(tmp) + [RawMember(SHEET, payload, crc, 10 * MIB)]
    return write_raw_zip(path, members,
                         aliases=[f"xl/worksheets/salinan{i}.xml" for i in range(1, copies)])


def make_encrypted_zip_xlsx(path: Path) -> Path:
    """Workbook parts inside a password-protected (ZipCrypto) zip: flag bit 0 set."""
    with tempfile.TemporaryDirectory() as tmp:
        members = members_of(make_good_xlsx(Path(tmp) / "base.xlsx"))
    for m in members:
        m.flags |= 0x1
    return write_raw_zip(path, members)


# --- XML attacks -----------------------------------------------------------------------------

def _replace_members(path: Path, replacements: dict[str, str | bytes]) -> Path:
    """A good workbook (one shared string in A1) with some parts replaced verbatim."""
    with tempfile.TemporaryDirectory() as tmp:
        base = make_good_xlsx(Path(tmp) / "base.xlsx")
        with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for info in src.infolist():
                data = replacements.get(info.filename, src.read(info))
                z.writestr(info.filename, data.encode() if isinstance(data, str) else data)
    return path


def make_billion_laughs(path: Path) -> Path:
    """sheet1.xml with a DOCTYPE of nested entities (10^9 'lol's when expanded)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    sheet = (XML_DECL + "<!DOCTYPE worksheet [\n" + "\n".join(entities) + "\n]>\n"
             f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
             "<is><t>&lol9;</t></is></c></row></sheetData></worksheet>")
    return _replace_members(path, {SHEET: sheet})


def make_xxe(path: Path) -> Path:
    """sharedStrings.xml whose first string is an external entity: file:///etc/passwd."""
    strings = (XML_DECL + '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
               f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>')
    sheet = (XML_DECL + f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1">'
             '<c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>')
    return _replace_members(path, {SHARED_STRINGS: strings, SHEET: sheet})


def make_utf16_doctype(path: Path) -> Path:
    """The billion-laughs sheet re-encoded as UTF-16 (a byte scan for '<!DOCTYPE' misses it)."""
    with tempfile.TemporaryDirectory() as tmp:
        laughs = make_billion_laughs(Path(tmp) / "laughs.xlsx")
        with zipfile.ZipFile(laughs) as z:
            sheet = z.read(SHEET).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return _replace_members(path, {SHEET: ("\ufeff" + sheet).encode("utf-16-le")})


# --- OLE2 compound files (written by hand: olefile only reads) -------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END, _FAT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR = 512


def write_cfb(path: Path, streams: dict[str, bytes]) -> Path:
    """A minimal version-3 compound file holding ``streams`` at the root.

    Each stream is padded to at least 4096 bytes (the mini-stream cutoff) so all data
    lives in ordinary 512-byte sectors and no mini FAT is needed.
    """
    datas = [(name, data.ljust(4096, b"\0")) for name, data in streams.items()]
    n_dir = -(-(len(datas) + 1) // 4)  # 4 directory entries per sector
    n_data = sum(-(-len(d) // _SECTOR) for _, d in datas)
    n_fat = 1
    while n_fat * 128 < n_fat + n_dir + n_data:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("too much data for a header-only DIFAT")
    fat = [_FAT] * n_fat
    fat += [n_fat + i + 1 for i in range(n_dir - 1)] + [_END]  # directory chain
    starts = []
    for _, data in datas:
        starts.append(len(fat))
        count = -(-len(data) // _SECTOR)
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [_END]
    fat += [_FREE] * (n_fat * 128 - len(fat))
    # signature, class id, minor/major version, byte order, sector shifts (512 / 64),
    # reserved, then: directory sectors (0 in v3), FAT sectors, first directory sector,
    # transaction, mini-stream cutoff, first mini-FAT sector, mini-FAT sectors, first
    # DIFAT sector, DIFAT sectors.
    header = struct.pack("<8s16s5H6s9I", OLE_MAGIC, b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6,
                         b"\0" * 6, 0, n_fat, n_fat, 0, 4096, _END, 0, _END, 0)
    difat = list(range(n_fat)) + [_FREE] * (109 - n_fat)
    header += struct.pack("<109I", *difat)
    with path.open("wb") as f:
        f.write(header)
        f.write(struct.pack(f"<{len(fat)}I", *fat))
        f.write(_directory(datas, starts).ljust(n_dir * _SECTOR, b"\0"))
        for _, data in datas:
            f.write(data.ljust(-(-len(data) // _SECTOR) * _SECTOR, b"\0"))
    return path


def _directory(datas: list[tuple[str, bytes]], starts: list[int]) -> bytes:
    # Children are chained through their right-sibling link, in the CFB name order
    # (shorter names first, then upper-case comparison); all nodes black.
    order = sorted(range(len(datas)), key=lambda i: (len(datas[i][0]), datas[i][0].upper()))
    sid = {i: n + 1 for n, i in enumerate(order)}
    entries = [_dir_entry("Root Entry", 5, child=sid[order[0]] if order else _NOSTREAM,
                          start=_END, size=0)]
    for n, i in enumerate(order):
        right = sid[order[n + 1]] if n + 1 < len(order) else _NOSTREAM
        name, data = datas[i]
        entries.append(_dir_entry(name, 2, right=right, start=starts[i], size=len(data)))
    entries += [_dir_entry("", 0, start=0, size=0)] * (-len(entries) % 4)
    return b"".join(entries)


def _dir_entry(name: str, kind: int, *, child: int = _NOSTREAM, right: int = _NOSTREAM,
               start: int, size: int) -> bytes:
    raw = name.encode("utf-16-le")
    name_len = len(raw) + 2 if name else 0
    return struct.pack("<64sHBBIII16sIQQIQ", raw, name_len, kind, 1, _NOSTREAM, right, child,
                       b"\0" * 16, 0, 0, 0, start, size)


def make_password_protected(path: Path) -> Path:
    """What Excel writes for 'Encrypt with Password': an OLE file with the encrypted package."""
    info = struct.pack("<HHI", 4, 4, 0x40) + (
        XML_DECL + '<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
        '<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
        'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"/>'
        "</encryption>").encode()
    package = struct.pack("<Q", 6000) + random.Random(3).randbytes(6000)
    return write_cfb(path, {"EncryptionInfo": info, "EncryptedPackage": package})


def make_fake_xls(path: Path) -> Path:
    """An OLE file with a ``Workbook`` stream beginning with a BIFF8 BOF record."""
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06)
    return write_cfb(path, {"Workbook": bof + struct.pack("<HH", 0x000A, 0)})


def make_fake_doc(path: Path) -> Path:
    """An old Word .doc as far as the directory goes (``WordDocument`` stream)."""
    return write_cfb(path, {"WordDocument": b"\xec\xa5\xc1\x00", "1Table": b"\0"})


def make_other_ole(path: Path) -> Path:
    return write_cfb(path, {"Contents": b"not an office document"})


def make_broken_ole(path: Path) -> Path:
    """The OLE signature followed by garbage: a damaged compound file."""
    path.write_bytes(OLE_MAGIC + random.Random(5).randbytes(3000))
    return path


# --- LibreOffice-made files (need soffice) ---------------------------------------------------

_LO_PROFILE: Path | None = None


def soffice_convert(src: Path, fmt: str, outdir: Path) -> Path:
    """Convert ``src`` with LibreOffice into ``outdir``; returns the new file.

    A private user profile (one per process) keeps us clear of any other soffice
    running on the machine.
    """
    global _LO_PROFILE
    soffice = shutil.which("soffice")
    if soffice is None:
        raise RuntimeError("soffice not installed")
    if _LO_PROFILE is None:
        _LO_PROFILE = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice, f"-env:UserInstallation={_LO_PROFILE.as_uri()}", "--headless",
                    "--norestore", "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                   check=True, capture_output=True, timeout=180)
    out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    if not out.exists():
        raise RuntimeError(f"soffice produced no {out.name}")
    return out


def _via_soffice(path: Path, fmt: str, source: Callable[[Path], Path]) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        src = source(Path(tmp) / "sumber.xlsx")
        out = soffice_convert(src, fmt, Path(tmp) / "out")
        shutil.move(out, path)
    return path


def make_real_xls(path: Path) -> Path:
    """A real Excel 97 .xls written by LibreOffice (name it .xlsx to mimic a renamed file)."""
    return _via_soffice(path, "xls", make_good_xlsx)


def make_real_ods(path: Path) -> Path:
    return _via_soffice(path, "ods", make_good_xlsx)


def make_libreoffice_resave(path: Path) -> Path:
    """An honest template re-saved as .xlsx by LibreOffice Calc."""
    return _via_soffice(path, "xlsx", lambda p: make_template_xlsxwriter(p, rows=300))


# --- the corpus ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    name: str  # file name in the corpus folder
    make: Callable[[Path], Path]
    code: str | None  # expected catalogue code; None means the file must pass
    libreoffice: bool = False


CASES: list[Case] = [
    Case("kosong.xlsx", make_empty, "BERKAS_KOSONG"),
    Case("acak.xlsx", make_random_bytes, "BUKAN_EXCEL"),
    Case("teks_csv.xlsx", make_csv_named_xlsx, "BUKAN_EXCEL"),
    Case("halaman_web.xls", make_html_named_xlsx, "BUKAN_EXCEL"),
    Case("foto.xlsx", make_png, "BUKAN_EXCEL"),
    Case("cetak.pdf", make_pdf, "BERKAS_PDF"),
    Case("dokumen.docx", make_docx, "BERKAS_WORD"),
    Case("presentasi.xlsx", make_pptx, "BUKAN_EXCEL"),
    Case("arsip.zip", make_zip_of_xlsx, "BUKAN_EXCEL"),
    Case("terpotong.xlsx", make_truncated_xlsx, "BERKAS_RUSAK"),
    Case("byte_berubah.xlsx", make_flipped_byte_xlsx, "BERKAS_RUSAK"),
    Case("bom_zip.xlsx", make_zip_bomb, "BERKAS_TERLALU_BESAR"),
    Case("bom_header_bohong.xlsx", make_lying_bomb, "BERKAS_TERLALU_BESAR"),
    Case("bom_spasi.xlsx", make_whitespace_bomb, "BERKAS_TERLALU_BESAR"),
    Case("bom_anggota.xlsx", make_many_members, "BERKAS_TERLALU_BESAR"),
    Case("bom_tumpang_tindih.xlsx", make_overlapping_members, "BERKAS_TERLALU_BESAR"),
    Case("besar.xlsx", make_big_sparse_zip, "BERKAS_TERLALU_BESAR"),
    Case("billion_laughs.xlsx", make_billion_laughs, "BERKAS_BERBAHAYA"),
    Case("xxe.xlsx", make_xxe, "BERKAS_BERBAHAYA"),
    Case("doctype_utf16.xlsx", make_utf16_doctype, "BERKAS_BERBAHAYA"),
    Case("lembar.ods", make_ods_minimal, "FORMAT_ODS"),
    Case("berpassword.xlsx", make_password_protected, "BERKAS_BERPASSWORD"),
    Case("zip_berpassword.xlsx", make_encrypted_zip_xlsx, "BERKAS_BERPASSWORD"),
    Case("lama.xlsx", make_fake_xls, "FORMAT_XLS"),
    Case("dokumen_lama.xls", make_fake_doc, "BERKAS_WORD"),
    Case("ole_lain.xlsx", make_other_ole, "BUKAN_EXCEL"),
    Case("ole_rusak.xlsx", make_broken_ole, "BERKAS_RUSAK"),
    Case("baik.xlsx", make_good_xlsx, None),
    Case("lo_asli.xlsx", make_real_xls, "FORMAT_XLS", libreoffice=True),
    Case("lo_asli.ods", make_real_ods, "FORMAT_ODS", libreoffice=True),
    Case("lo_simpan_ulang.xlsx", make_libreoffice_resave, None, libreoffice=True),
]


def build_corpus(folder: Path, libreoffice: bool | None = None) -> dict[str, Path]:
    """Build every case into ``folder``; LibreOffice cases only when soffice is present
    (or when ``libreoffice`` says so explicitly). Returns name -> path."""
    if libreoffice is None:
        libreoffice = shutil.which("soffice") is not None
    folder.mkdir(parents=True, exist_ok=True)
    return {c.name: c.make(folder / c.name) for c in CASES if libreoffice or not c.libreoffice}


if __name__ == "__main__":  # build a corpus to look at: python tests/hostile.py <folder>
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile_corpus")
    for name, made in build_corpus(target).items():
        print(f"{os.path.getsize(made):>12,}  {name}")
