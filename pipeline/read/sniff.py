"""Which workbook format a file's bytes are, whatever its name says.

The name a file is kept under (an upload in `inbox/unggah/`, a copy in the archive) ends
in the format of its bytes: `.xlsx` (a zip holding `xl/workbook.xml`), `.xls` (an OLE2
compound file), `.ods` (a zip whose `mimetype` says OpenDocument spreadsheet), and
`.bin` for anything else, an extension no laptop runs on a double-click. So a `.bat`,
`.exe`, `.hta`, `.lnk`, `.html` or `.xlsm` sent in never sits anywhere under a name that
runs it; the judge reads the bytes anyway (read.safety).

Only the zip's end record and central directory are read (never a member's data, apart
from the few bytes of `mimetype`), and a zip listing more parts than any workbook has is
`.bin` without building the list.
"""

from __future__ import annotations

import struct
import zipfile
from typing import BinaryIO

XLSX, XLS, ODS, OTHER = ".xlsx", ".xls", ".ods", ".bin"
WORKBOOK_SUFFIXES = (XLSX, XLS, ODS)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ODS_TYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_MAX_ENTRIES = 10_000  # a workbook has tens of parts; read.safety refuses past this too
_END_RECORD = b"PK\x05\x06"


def suffix_of(f: BinaryIO) -> str:
    """The suffix `f`'s bytes deserve (one of WORKBOOK_SUFFIXES, else OTHER); `f` is left
    at its start."""
    try:
        f.seek(0)
        head = f.read(8)
        if head == _OLE_MAGIC:
            return XLS
        if not head.startswith(_ZIP_MAGIC) or not _few_entries(f):
            return OTHER
        f.seek(0)
        with zipfile.ZipFile(f) as archive:
            names = {name.lower(): name for name in archive.namelist()}
            if "mimetype" in names:
                with archive.open(names["mimetype"]) as member:
                    if member.read(len(_ODS_TYPE) + 2).strip() == _ODS_TYPE:
                        return ODS
            return XLSX if "xl/workbook.xml" in names else OTHER
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError,
            RuntimeError, EOFError):
        return OTHER
    finally:
        f.seek(0)


def _few_entries(f: BinaryIO) -> bool:
    """True when the zip's end record lists no more parts than a workbook may have."""
    size = f.seek(0, 2)
    tail_len = min(size, 65_535 + 22)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    at = tail.rfind(_END_RECORD)
    if at < 0 or len(tail) - at < 22:
        return False
    entries = struct.unpack("<H", tail[at + 10:at + 12])[0]
    return entries <= _MAX_ENTRIES
