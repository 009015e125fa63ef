"""Nomenclature codes (Kepmendagri 050-5889/2021) as people type them, in one form.

A code has 1 (urusan), 2 (bidang urusan), 3 (program), 5 (kegiatan) or 6 (sub kegiatan)
dotted parts; the 2019 form's two-digit sub kegiatan (`2.16.02.2.01.01`) is the same code as
`2.16.02.2.01.0001`. An SKPD or sub unit has its own long code, A.BB.C.DD.E.FF.GG.HHHH
(`1.01.2.22.0.00.01.0000`), which is no nomenclature code.
"""

from __future__ import annotations

import functools
import re

LEVELS = {1: "urusan", 2: "bidang urusan", 3: "program", 5: "kegiatan", 6: "sub kegiatan"}
# The long SKPD form, at the start of a cell, and the name after it (if any).
SKPD_CODE = re.compile(r"\s*([0-9X]\.[0-9X]{2}\.[0-9]\.[0-9]{2}\.[0-9]\.[0-9]{2}\.[0-9]{2}"
                       r"\.[0-9]{4})(?![.0-9])[\s:\-]*(.*)", re.DOTALL)


# U.BB.PP.K.KK.SSSS, any level prefix; "X.XX" stands for any bidang (the supporting
# programs every OPD has, Kepmendagri 050-5889/2021).
_CODE = re.compile(r"(?:[1-9]|X)(?:\.(?:[0-9]{2}|XX)(?:\.[0-9]{2}(?:\.[0-9]\.[0-9]{2}"
                   r"(?:\.[0-9]{4})?)?)?)?")


def normalise_code(value: object) -> str | None:
    """The code in its 2021 form, or None (see _normalise_code); cached for text."""
    if isinstance(value, str):
        return _normalise_text_code(value)
    return _normalise_code(value)


@functools.lru_cache(maxsize=65536)
def _normalise_text_code(value: str) -> str | None:
    return _normalise_code(value)


def _normalise_code(value: object) -> str | None:
    """The code in its 2021 form, or None when the value is not a nomenclature code.

    Spaces and stray dots go, "x" is "X", a two-digit sub kegiatan (2019 form) gets its
    leading zeros: " 2.16 .02.2.01.01." -> "2.16.02.2.01.0001".
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        text = f"{value:.2f}" if not value.is_integer() else str(int(value))
    else:
        text = str(value)
    text = re.sub(r"\s+", "", text).upper().strip(".")
    text = re.sub(r"\.{2,}", ".", text)
    if not text:
        return None
    parts = text.split(".")
    if len(parts) == 6 and parts[5].isdigit() and len(parts[5]) < 4:
        parts[5] = parts[5].zfill(4)
    code = ".".join(parts)
    return code if _CODE.fullmatch(code) else None


def bidang(code: str) -> str | None:
    """The bidang urusan of a code ("2.16.02.2.01" -> "2.16"); None for an urusan."""
    parts = code.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else None


def level(code: str) -> int:
    """The number of dotted parts: 1 urusan, 2 bidang, 3 program, 5 kegiatan, 6 sub."""
    return len(code.split("."))
