"""First look at a file from the inbox, before any spreadsheet parser touches it.

Participants send whatever they have: PDFs, photos, old .xls files, password-protected
workbooks, half-copied downloads, and now and then something hostile. No reader limits
its own memory on a zip bomb and several expand XML entities, so this module decides,
from the bytes alone and cheaply, whether a file is a plain .xlsx package that is safe to
hand to calamine/openpyxl. It never trusts the file name and never raises.

Cost is bounded by the limits below: we read the first 4 KB, the zip's central directory
(at most ``max_members`` entries) and then stream-inflate each member in 64 KB pieces,
stopping as soon as a member produces more than its header declared.
"""

from __future__ import annotations

import os
import re
import stat
import struct
import sys
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

import olefile

from ..catalogue import Code, render
from ..common.idtext import size_text, thousands

# --- limits ----------------------------------------------------------------------------------
# Measured on honest templates (2,000 rows x 40 columns of text and money, styles, dropdowns,
# a comment): xlsxwriter 0.81 MB on disk / 5.9 MB inflated, openpyxl 0.86 / 6.3 MB, LibreOffice
# re-save 0.83 / 7.2 MB; the mostly-empty styled template (every cell styled, no values)
# 0.16 / 1.7 MB (10,000 rows: 8.4 MB). Per-member compression ratios of the big parts
# (sheet1.xml, sharedStrings.xml): 6.3-8.7x filled, 10.9-13.4x empty-but-styled, ~24x for
# one value pasted down 2,000 rows. Small parts can be far higher: a styles.xml bloated to
# 64,000 identical cell formats (a real Excel copy-paste disease) is 4.9 MB at ~290x.
# Deflate bombs (zeros, whitespace) sit at ~1,030x, the format's ceiling.
# Hence: the ratio is judged only for members inflating to more than RATIO_FLOOR (a part
# that small cannot hurt a reader), and MAX_RATIO = 100 leaves ~7x headroom over honest
# large parts while every deflate bomb is 10x over it.
MAX_BYTES = 25_000_000  # on disk; a filled template is under 1 MB
MAX_MEMBERS = 2_000  # a template has ~15 parts; a workbook with many sheets/images, hundreds
MAX_TOTAL_UNCOMPRESSED = 200_000_000  # also bounds inflating time: 190 MB took 0.3 s
MAX_MEMBER_UNCOMPRESSED = 150_000_000  # 100,000 styled rows x 40 columns is ~86 MB
MAX_RATIO = 100
RATIO_FLOOR = 16_000_000
CENTRAL_ENTRY_BUDGET = 1_024  # bytes of central directory allowed per permitted member
LIE_SLACK = 1 << 20  # inflating past the declared size by more than this is a bomb, not rot

HEAD_BYTES = 4_096
READ_CHUNK = 1 << 16  # compressed bytes read at a time
INFLATE_CHUNK = 1 << 20  # most inflated bytes produced by one decompress call

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a local header, or an empty archive's end record

# Things people send instead of the workbook, recognised by their first bytes. The text is
# the {detail} shown to the participant after "bukan berkas Excel (.xlsx)".
OTHER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "gambar PNG"),
    (b"\xff\xd8\xff", "foto/gambar JPEG"),
    (b"GIF87a", "gambar GIF"),
    (b"GIF89a", "gambar GIF"),
    (b"II*\x00", "gambar TIFF"),
    (b"MM\x00*", "gambar TIFF"),
    (b"Rar!\x1a\x07", "arsip RAR; ekstrak dan kirim berkas .xlsx-nya"),
    (b"7z\xbc\xaf\x27\x1c", "arsip 7-Zip; ekstrak dan kirim berkas .xlsx-nya"),
    (b"\x1f\x8b", "arsip gzip"),
    (b"{\\rtf", "dokumen RTF"),
    (b"MZ", "program Windows (.exe)"),
)

# Zip packages that are not a workbook, by a part that only they have.
OTHER_PACKAGES: tuple[tuple[str, str, str], ...] = (
    ("word/document.xml", Code.BERKAS_WORD, "dokumen Word (.docx)"),
    ("ppt/presentation.xml", Code.BUKAN_EXCEL, "presentasi PowerPoint (.pptx)"),
    ("xl/workbook.bin", Code.BUKAN_EXCEL, "buku kerja biner Excel (.xlsb)"),
)
ODF_TYPES = {
    "application/vnd.oasis.opendocument.spreadsheet": (Code.FORMAT_ODS, "OpenDocument .ods"),
    "application/vnd.oasis.opendocument.text": (Code.BUKAN_EXCEL, "dokumen OpenDocument (.odt)"),
}

# DOCTYPE or ENTITY declarations: honest workbook parts never carry one. Matched in UTF-8
# (and every ASCII-compatible encoding) and in UTF-16, which XML parsers also accept; the
# UTF-16LE pattern also matches UTF-16BE text one byte further on. One regex per encoding:
# a literal prefix ("<!") lets re skip ahead at ~2 GB/s, an alternation of the two would not.
_DTD_PATTERNS = (
    re.compile(rb"<!(?:doctype|entity)", re.IGNORECASE),
    re.compile(rb"<\x00!\x00(?:d\x00o\x00c\x00t\x00y\x00p\x00e|e\x00n\x00t\x00i\x00t\x00y)",
               re.IGNORECASE),
)
_DTD_OVERLAP = 32  # longest match is 18 bytes; keep this much between inflated pieces
XML_SUFFIXES = (".xml", ".rels", ".vml")


@dataclass(frozen=True)
class Verdict:
    ok: bool  # True: a zip-based .xlsx that looks safe to hand to calamine/openpyxl
    code: str | None  # catalogue code when not ok
    detail: str | None  # short detail (Indonesian), for the JSON report
    # Placeholders for the catalogue template. Always carries "detail" when not ok, so a
    # caller that renders ``render(code, **params)`` fills the templates' {detail}.
    params: dict[str, Any] = field(default_factory=dict)
    # Largest row number in each worksheet part (zip member name), found while inflating:
    # the reader refuses a sheet that reaches absurdly far before calamine allocates it.
    sheet_rows: dict[str, int] = field(default_factory=dict)
    # An .xls or .ods within the limits (an .ods's members checked like an .xlsx's): still
    # refused, but its identity sheet may be read to say which OPD sent it (`foreign`).
    foreign_readable: bool = False

    def message(self) -> str:
        """The participant-facing Indonesian message ('' when the file is fine)."""
        if self.ok or self.code is None:
            return ""
        return render(self.code, **{"detail": self.detail, **self.params})


class _Reject(Exception):
    """Raised anywhere below to stop with a verdict."""

    def __init__(self, code: str, detail: str, foreign_readable: bool = False,
                 **params: Any) -> None:
        super().__init__(code, detail)
        self.verdict = _refuse(code, detail, foreign_readable, **params)


def _refuse(code: str, detail: str, foreign_readable: bool = False, **params: Any) -> Verdict:
    return Verdict(False, code, detail, {"detail": detail, **params},
                   foreign_readable=foreign_readable)


@dataclass(frozen=True)
class _Limits:
    max_bytes: int
    max_members: int
    max_total: int
    max_member: int
    max_ratio: float


def inspect_file(path: Path, *, max_bytes: int = MAX_BYTES, max_members: int = MAX_MEMBERS,
                 max_total_uncompressed: int = MAX_TOTAL_UNCOMPRESSED,
                 max_member_uncompressed: int = MAX_MEMBER_UNCOMPRESSED,
                 max_ratio: float = MAX_RATIO) -> Verdict:
    """Judge one file by its content. Never raises; ``Verdict.ok`` means: go on and parse."""
    limits = _Limits(max_bytes, max_members, max_total_uncompressed, max_member_uncompressed,
                     max_ratio)
    try:
        sheet_rows = _inspect(Path(path), limits)
    except _Reject as reject:
        return reject.verdict
    except OSError as exc:  # the file vanished or the disk failed while we read it
        return _refuse(Code.BERKAS_TIDAK_TERBACA, f"galat baca: {exc.strerror or exc}")
    except MemoryError:
        return _refuse(Code.BERKAS_TERLALU_BESAR, "kehabisan memori saat memeriksa")
    except Exception as exc:  # a bug here must not stop the run: the file is just refused
        return _refuse(Code.BERKAS_RUSAK, f"pemeriksaan gagal ({type(exc).__name__})")
    return Verdict(True, None, None, {}, sheet_rows)


def _inspect(path: Path, limits: _Limits) -> dict[str, int]:
    with _open_regular(path) as f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            raise _Reject(Code.BERKAS_KOSONG, "0 byte")
        head = f.read(HEAD_BYTES)
        container = _container_kind(head)
        if container is None and b"%PDF-" in head[:1024]:  # PDF readers skip leading junk
            raise _Reject(Code.BERKAS_PDF, "PDF")
        if container is None:
            raise _Reject(Code.BUKAN_EXCEL, _describe_other(head))
        if size > limits.max_bytes:
            raise _Reject(Code.BERKAS_TERLALU_BESAR,
                          f"berkas {size_text(size)}, batas {size_text(limits.max_bytes)}")
        if container == "ole":
            _inspect_ole(f)
        return _inspect_zip(f, size, limits)


def _open_regular(path: Path) -> BinaryIO:
    """Open for reading, refusing directories, pipes and devices without blocking on them."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError as exc:
        raise _Reject(Code.BERKAS_TIDAK_TERBACA, "berkas tidak ditemukan") from exc
    except PermissionError as exc:
        raise _Reject(Code.BERKAS_TIDAK_TERBACA, "tidak ada izin membaca") from exc
    except IsADirectoryError as exc:
        raise _Reject(Code.BERKAS_TIDAK_TERBACA, "ini sebuah folder") from exc
    except OSError as exc:
        raise _Reject(Code.BERKAS_TIDAK_TERBACA, f"galat sistem: {exc.strerror or exc}") from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = "ini sebuah folder" if stat.S_ISDIR(mode) else "bukan berkas biasa"
        raise _Reject(Code.BERKAS_TIDAK_TERBACA, what)
    return os.fdopen(fd, "rb")


def _container_kind(head: bytes) -> str | None:
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(ZIP_MAGICS):
        return "zip"
    return None


def _describe_other(head: bytes) -> str:
    """A few words on what a non-Office file looks like, for the participant."""
    for magic, what in OTHER_MAGIC:
        if head.startswith(magic):
            return what
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "foto HEIC dari ponsel"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "gambar WEBP"
    text = _as_text(head)
    if text is None:
        return "isi berkas tidak dikenali"
    start = text.lstrip().lower()[:2000]
    if start.startswith("<!doctype html") or "<html" in start or "<table" in start:
        return "halaman web (HTML)"
    if start.startswith("<?xml"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in start:
            return "Excel 2003 XML (SpreadsheetML)"
        return "berkas XML"
    if start.startswith("mime-version:"):
        return "arsip halaman web (MHT)"
    return "berkas teks/CSV"


def _as_text(head: bytes) -> str | None:
    """The head decoded as text when it plainly is text (UTF-8/16 or a legacy code page)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the 4 KB boundary
            text = head.decode("cp1252", errors="replace")
        else:
            text = head[: exc.start].decode("utf-8")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    return text if controls <= len(text) // 100 else None


# --- OLE2 compound files (.xls, .doc, and encrypted OOXML) -----------------------------------

def _inspect_ole(f: BinaryIO) -> NoReturn:
    """An OLE file is never accepted; its directory says which message fits."""
    f.seek(0)
    try:
        ole = olefile.OleFileIO(f)
        names = {"/".join(entry).lower() for entry in ole.listdir(streams=True)}
    except Exception as exc:  # olefile raises OSError, struct.error, IndexError, ...
        raise _Reject(Code.BERKAS_RUSAK, f"berkas OLE rusak ({type(exc).__name__})") from exc
    if {"encryptedpackage", "encryptioninfo"} & names:
        raise _Reject(Code.BERKAS_BERPASSWORD, "OLE: EncryptedPackage")  # Excel's password .xlsx
    if {"workbook", "book"} & names:  # within MAX_BYTES, checked before we get here
        raise _Reject(Code.FORMAT_XLS, "Excel 97-2003 (.xls)", foreign_readable=True)
    if "worddocument" in names:
        raise _Reject(Code.BERKAS_WORD, "dokumen Word lama (.doc)")
    if "powerpoint document" in names:
        raise _Reject(Code.BUKAN_EXCEL, "presentasi PowerPoint lama (.ppt)")
    if any(n.startswith(("__substg1.0_", "__properties_version1.0")) for n in names):
        raise _Reject(Code.BUKAN_EXCEL, "pesan e-mail Outlook (.msg); kirim lampirannya")
    raise _Reject(Code.BUKAN_EXCEL, "berkas Office lama yang tidak dikenal")


# --- zip packages ----------------------------------------------------------------------------

def _inspect_zip(f: BinaryIO, size: int, limits: _Limits) -> dict[str, int]:
    _precheck_directory(f, size, limits)
    try:
        archive = zipfile.ZipFile(f)
        infos = archive.infolist()
    except Exception as exc:  # BadZipFile, struct.error, UnicodeDecodeError, OSError, ...
        raise _Reject(Code.BERKAS_RUSAK, f"arsip zip rusak ({_reason(exc)})") from exc
    if len(infos) > limits.max_members:
        raise _Reject(Code.BERKAS_TERLALU_BESAR,
                      f"{_count(len(infos))} bagian, batas {_count(limits.max_members)}")
    try:
        _classify_package(archive, infos)
    except _Reject as reject:
        if reject.verdict.code != Code.FORMAT_ODS:
            raise
        # Checked like an .xlsx before anything reads its identity.
        _check_declared(infos, size, limits)
        _check_members(f, infos, getattr(archive, "start_dir", size))
        raise _Reject(Code.FORMAT_ODS, reject.verdict.detail, foreign_readable=True) from None
    _check_declared(infos, size, limits)
    return _check_members(f, infos, getattr(archive, "start_dir", size))


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text[:80] if text else type(exc).__name__


def _precheck_directory(f: BinaryIO, size: int, limits: _Limits) -> None:
    """Read the end-of-archive record ourselves, so that a huge central directory is refused
    before zipfile builds an object per entry (a million entries would cost seconds and
    hundreds of MB). No end record at all means the file was cut short."""
    tail_len = min(size, 65_535 + 22)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise _Reject(Code.BERKAS_RUSAK, "akhir arsip zip tidak ditemukan; berkas terpotong")
    _, _, _, _, entries, cd_size, _, _ = struct.unpack("<4s4H2LH", tail[at:at + 22])
    entries_64 = _zip64_end_record(tail, at)
    if entries_64 is not None:
        entries, cd_size = entries_64
    if entries > limits.max_members:
        raise _Reject(Code.BERKAS_TERLALU_BESAR,
                      f"{_count(entries)} bagian, batas {_count(limits.max_members)}")
    if cd_size > limits.max_members * CENTRAL_ENTRY_BUDGET:
        raise _Reject(Code.BERKAS_TERLALU_BESAR, f"daftar isi zip {size_text(cd_size)}")


def _zip64_end_record(tail: bytes, eocd_at: int) -> tuple[int, int] | None:
    """(entries, central directory size) from a zip64 end record placed where zipfile
    looks for it (just before its locator, just before the end record), else None."""
    loc = eocd_at - 20
    rec = loc - 56
    if rec < 0 or tail[loc:loc + 4] != b"PK\x06\x07" or tail[rec:rec + 4] != b"PK\x06\x06":
        return None
    fields = struct.unpack("<4sQ2H2L4Q", tail[rec:rec + 56])
    return fields[7], fields[8]


def _classify_package(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse zips that are some other package, a plain archive, or not readable as one."""
    names = {i.filename.lower(): i for i in infos}
    if "mimetype" in names:
        kind = _read_small(archive, names["mimetype"]).strip()
        if kind in ODF_TYPES:
            raise _Reject(*ODF_TYPES[kind])
    for part, code, what in OTHER_PACKAGES:
        if part in names:
            raise _Reject(code, what)
    if "xl/workbook.xml" not in names:
        raise _Reject(Code.BUKAN_EXCEL, _describe_archive(names))
    if "[content_types].xml" not in names:
        raise _Reject(Code.BERKAS_RUSAK, "[Content_Types].xml hilang")
    if any(i.flag_bits & 0x1 for i in infos):
        raise _Reject(Code.BERKAS_BERPASSWORD, "arsip zip terenkripsi")
    if len(names) != len(infos):  # two parts with one name: readers disagree on which wins
        raise _Reject(Code.BERKAS_RUSAK, "nama bagian ganda di arsip zip")


def _read_small(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int = 200) -> str:
    try:
        with archive.open(info) as member:
            return member.read(limit).decode("ascii", errors="replace")
    except Exception:  # an unreadable mimetype just means "not ODF"
        return ""


def _describe_archive(names: dict[str, zipfile.ZipInfo]) -> str:
    workbooks = [n for n in names if n.endswith((".xlsx", ".xlsm", ".xls", ".ods"))]
    if workbooks:
        return (f"arsip zip berisi {len(workbooks)} berkas lembar kerja; ekstrak dan kirim "
                "berkas .xlsx-nya")
    if "[content_types].xml" in names:
        return "paket Office tanpa xl/workbook.xml"
    return "arsip zip biasa"


def _check_declared(infos: list[zipfile.ZipInfo], size: int, limits: _Limits) -> None:
    """Refuse on the sizes the central directory declares (cheap; lies are caught later)."""
    total = sum(i.file_size for i in infos)
    if total > limits.max_total:
        raise _Reject(Code.BERKAS_TERLALU_BESAR,
                      f"isi {size_text(total)} dari berkas {size_text(size)}")
    for info in infos:
        if info.file_size > limits.max_member:
            raise _Reject(Code.BERKAS_TERLALU_BESAR,
                          f"{info.filename}: isi {size_text(info.file_size)}"
                          f" dari {size_text(info.compress_size)}")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > limits.max_ratio:
            raise _Reject(Code.BERKAS_TERLALU_BESAR,
                          f"{info.filename}: isi {size_text(info.file_size)} dari "
                          f"{size_text(info.compress_size)} ({_count(round(ratio))}x)")


def _check_members(f: BinaryIO, infos: list[zipfile.ZipInfo], directory_start: int,
                   ) -> dict[str, int]:
    """Inflate every member (bounded), checking size, CRC and, for XML, DOCTYPE/ENTITY;
    return the largest row number of each worksheet part."""
    ordered = sorted(infos, key=lambda i: i.header_offset)
    ends = [i.header_offset for i in ordered[1:]] + [directory_start]
    sheet_rows = {}
    for info, end in zip(ordered, ends, strict=True):
        last_row = _check_member(f, info, end)
        if last_row is not None:
            sheet_rows[info.filename] = last_row
    return sheet_rows


class LastRow:
    """The largest row number (<row r="12">, any namespace prefix) in a worksheet part
    fed piece by piece; a row tag cut between two pieces is still read whole."""

    # Starts with a literal, so re skips ahead fast; the match is a tag when "<" or a
    # namespace prefix's ":" comes just before it.
    _NUMBER = re.compile(rb"row\b[^>]*?\sr=\"(\d+)\"")
    _OVERLAP = 256  # bytes kept from the pieces before: longer than any <row ... r="...">

    def __init__(self) -> None:
        self.value, self._tail = 0, b""

    def feed(self, piece: bytes) -> None:
        data = self._tail + piece
        for match in self._NUMBER.finditer(data):
            at = match.start()
            if at and data[at - 1] in b"<:":
                self.value = max(self.value, int(match.group(1)))
        self._tail = data[-self._OVERLAP:]


def _check_member(f: BinaryIO, info: zipfile.ZipInfo, end: int) -> int | None:
    """Check one member; for a worksheet part, return its largest row number."""
    name = info.filename
    scan = name.lower().endswith(XML_SUFFIXES)
    sheet = scan and name.startswith("xl/worksheets/")
    produced, crc, carry = 0, 0, b""
    last_row = LastRow() if sheet else None
    for piece in _inflate(f, info, end):
        produced += len(piece)
        if produced > info.file_size + LIE_SLACK:
            raise _Reject(Code.BERKAS_TERLALU_BESAR,
                          f"{name} mengembang melebihi ukuran tertulis {size_text(info.file_size)}")
        crc = zlib.crc32(piece, crc)
        if scan:
            seam = carry + piece[:_DTD_OVERLAP]  # a declaration cut between two pieces
            if _declares_dtd(seam) or _declares_dtd(piece):
                raise _Reject(Code.BERKAS_BERBAHAYA, f"DOCTYPE/ENTITY di {name}")
            if last_row is not None:
                last_row.feed(piece)
            carry = (carry + piece[-_DTD_OVERLAP:])[-_DTD_OVERLAP:]
    if produced != info.file_size:
        raise _Reject(Code.BERKAS_RUSAK, f"isi {name} {_count(produced)} byte, tertulis "
                      f"{_count(info.file_size)} byte")
    if crc != info.CRC:
        raise _Reject(Code.BERKAS_RUSAK, f"CRC salah pada {name}")
    return None if last_row is None else last_row.value


def _declares_dtd(data: bytes) -> bool:
    return any(pattern.search(data) for pattern in _DTD_PATTERNS)


def _inflate(f: BinaryIO, info: zipfile.ZipInfo, end: int) -> Iterator[bytes]:
    """Yield a member's inflated bytes in pieces of at most INFLATE_CHUNK, reading its raw
    data straight from the archive. Unlike ZipExtFile we do not stop at the declared size,
    so the caller sees a member that inflates to more than its header says."""
    start = _data_start(f, info)
    if start + info.compress_size > end:  # overlapping members: the non-recursive zip bomb
        raise _Reject(Code.BERKAS_TERLALU_BESAR, f"bagian zip bertumpuk di {info.filename}")
    if info.compress_type == zipfile.ZIP_STORED:
        inflater = None
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    else:  # Excel and LibreOffice only store or deflate
        raise _Reject(Code.BERKAS_RUSAK,
                      f"metode kompresi {info.compress_type} pada {info.filename}")
    if info.compress_size == 0:  # an empty part some writers store with no deflate data
        return
    f.seek(start)
    left = info.compress_size
    try:
        while left > 0:
            raw = f.read(min(READ_CHUNK, left))
            if not raw:
                raise _Reject(Code.BERKAS_RUSAK, f"data {info.filename} terpotong")
            left -= len(raw)
            if inflater is None:
                yield raw
                continue
            while raw and not inflater.eof:
                out = inflater.decompress(raw, INFLATE_CHUNK)
                raw = inflater.unconsumed_tail
                yield out
        if inflater is not None and not inflater.eof:
            raise _Reject(Code.BERKAS_RUSAK, f"aliran data {info.filename} tidak lengkap")
    except zlib.error as exc:
        raise _Reject(Code.BERKAS_RUSAK, f"data rusak pada {info.filename}") from exc


def _data_start(f: BinaryIO, info: zipfile.ZipInfo) -> int:
    if info.header_offset < 0:
        raise _Reject(Code.BERKAS_RUSAK, f"posisi {info.filename} tidak sah")
    f.seek(info.header_offset)
    header = f.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise _Reject(Code.BERKAS_RUSAK, f"header lokal {info.filename} tidak ditemukan")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    return info.header_offset + 30 + name_len + extra_len


# --- numbers for people ----------------------------------------------------------------------

def _count(n: int) -> str:
    return thousands(n)


# --- parsers ---------------------------------------------------------------------------------

def harden_xml() -> None:
    """Make openpyxl parse XML through defusedxml (entities and DTD tricks refused).

    openpyxl decides once, at import, from the environment variable OPENPYXL_DEFUSEDXML
    (default "True" when defusedxml is installed) and then binds ``fromstring`` and
    ``iterparse`` by name in its modules. We set the variable before the import; if
    openpyxl was already imported with it switched off, we rebind those names in place.
    (With lxml installed, openpyxl's ``fromstring`` is lxml with resolve_entities=False,
    which we leave alone; its ``iterparse`` is still the defused one.) Idempotent.
    """
    os.environ["OPENPYXL_DEFUSEDXML"] = "True"
    import xml.etree.ElementTree as plain

    import defusedxml.ElementTree as defused
    import openpyxl
    import openpyxl.xml

    if openpyxl.xml.DEFUSEDXML:
        return
    openpyxl.xml.DEFUSEDXML = openpyxl.DEFUSEDXML = True
    swaps = (("iterparse", plain.iterparse, defused.iterparse),
             ("fromstring", plain.fromstring, defused.fromstring))
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "openpyxl" or name.startswith("openpyxl.")):
            continue
        for attr, unsafe, safe in swaps:
            if getattr(module, attr, None) is unsafe:
                setattr(module, attr, safe)
