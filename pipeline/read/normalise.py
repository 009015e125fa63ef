"""Reading what planners type into cells: text, choices, Rupiah, targets, codes.

Every function takes a cell value as python-calamine returns it (str, int, float, bool,
date/datetime/time, None; other objects are tolerated) and never raises: a value that
cannot be read becomes a problem code from pipeline.catalogue, not an exception.
Stdlib only.

Indonesian number writing: "." groups thousands and "," marks decimals
("Rp 1.500.000,-", "1,5 M"). Forms that could mean two amounts are reported as
UANG_AMBIGU rather than guessed; the decisions are listed at parse_money.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import numbers
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..catalogue import Code
from ..common.idtext import thousands

UNREADABLE = Code.UANG_TIDAK_TERBACA
AMBIGUOUS = Code.UANG_AMBIGU
NEGATIVE = Code.UANG_NEGATIF
PERCENT = Code.UANG_PERSEN
FRACTION = Code.UANG_PECAHAN
TARGET_UNREADABLE = Code.TARGET_TIDAK_TERBACA

# Larger than any regency budget line (1.000 triliun); beyond it the text is a typo.
MAX_RUPIAH = 10**15
# Longer number texts are not typed by hand, and int() refuses very long digit strings.
_MAX_NUMBER_TEXT = 60


@dataclass(frozen=True)
class Parsed:
    """A number read from a cell: value with no code, or a catalogue code with no value."""

    value: int | float | None
    code: str | None
    detail: str | None = None  # Indonesian, says why (e.g. the possible readings)


@dataclass(frozen=True)
class ChoiceResult:
    value: str | None  # the canonical option, or None when nothing matched exactly
    suggestion: str | None = None  # nearest option for an error message; never accepted


# --- text --------------------------------------------------------------------------------

# Invisible characters pasted from Word or the web: zero-width spaces, BOM, soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Control characters other than line breaks and tabs (openpyxl refuses to write them).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
_SPACE_RUN = re.compile(r"[^\S\n]+")  # any whitespace except a newline, NBSP included
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(value: object) -> str | None:
    """A cell value as clean text, or None when the cell is blank.

    Spaces (NBSP and tabs included) collapse to one, each line is stripped and single line
    breaks are kept. Whole floats lose their ".0", other floats show at most 15
    significant digits as Excel does; booleans read "TRUE"/"FALSE" as Excel shows them;
    dates become ISO "YYYY-MM-DD" (with the time only when it is not midnight).
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):  # the usual cell first: the checks below are slow for it
        return _clean_str(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, numbers.Integral):
        return _int_text(int(value))
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    text = _safe_str(value)
    return None if text is None else _clean_str(text)


def _clean_str(text: str) -> str | None:
    # Most cells are already clean: printable (no line breaks, control, invisible or
    # non-breaking characters), single-spaced and trimmed. They come back as they are.
    if text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " ":
        return text or None
    text = _CONTROL.sub("", text.translate(_INVISIBLE))
    lines = (_SPACE_RUN.sub(" ", line).strip() for line in text.splitlines())
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return text or None


def _int_text(number: int) -> str | None:
    try:
        return str(number)
    except ValueError:  # more digits than Python converts; no spreadsheet holds such a number
        return None


def _float_text(number: float) -> str | None:
    if math.isnan(number):
        return None  # pandas' "missing"; calamine never produces it
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    if number.is_integer():
        return str(int(number))
    return format(number, ".15g")


def _safe_str(value: object) -> str | None:
    try:
        return str(value)
    except Exception:  # a foreign object's __str__ may fail; the cell is then unreadable
        return None


_AROUND_SLASH = re.compile(r" ?/ ?")


def key(text: object) -> str:
    """The matching key of a label or choice: case, width and spacing do not matter.

    "Smart\u00a0 Governance " and "smart governance" share a key, as do
    "Swasta / CSR" and "Swasta/CSR".
    """
    if not isinstance(text, str):
        text = clean_text(text) or ""
    return _text_key(text) if len(text) <= 200 else _text_key.__wrapped__(text)


@functools.lru_cache(maxsize=8192)  # labels and choices repeat on every row of every file
def _text_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).casefold()
    return _AROUND_SLASH.sub("/", " ".join(text.split()))


@functools.lru_cache(maxsize=256)
def _option_keys(options: tuple[str, ...]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for option in options:
        keys.setdefault(key(option), option)  # the first option of a key wins, as before
    return keys


# --- choices -----------------------------------------------------------------------------

# difflib ratio from which a typo is worth suggesting ("Smart Goverment", "Tdk").
_SUGGEST_CUTOFF = 0.6


def match_choice(value: object, options: Sequence[str]) -> ChoiceResult:
    """The option a cell means, matched on key(); a near miss only becomes a suggestion."""
    text = clean_text(value)
    if text is None:
        return ChoiceResult(None, None)
    option = _option_keys(tuple(options)).get(key(text))
    if option is not None:
        return ChoiceResult(option, None)
    return ChoiceResult(None, suggest(text, options))


def suggest(value: object, options: Sequence[str]) -> str | None:
    """The one option the value most likely meant, or None when no single option stands out.

    First a word-start containment either way ("Governance" -> "Smart Governance",
    "Smart Governance (Tata Kelola)" -> "Smart Governance"), used only when exactly one
    option contains / is contained; then the closest spelling among those candidates
    (or all options when none contained) with difflib.
    """
    wanted = key(value)
    if not wanted:
        return None
    by_key: dict[str, str] = {}
    for option in options:
        by_key.setdefault(key(option), option)
    by_key.pop("", None)
    contained = [k for k in by_key if _contains(k, wanted) or _contains(wanted, k)]
    if len(contained) == 1:
        return by_key[contained[0]]
    close = difflib.get_close_matches(wanted, contained or list(by_key), n=1,
                                      cutoff=_SUGGEST_CUTOFF)
    return by_key[close[0]] if close else None


def _contains(text: str, part: str) -> bool:
    """part occurs in text starting at a word start ("gov" in "smart governance")."""
    return re.search(r"(?<!\w)" + re.escape(part), text) is not None


# --- numbers: shared reading of digits and separators ------------------------------------

_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d",
                                      "-"))
# Blank-like money: "", "-", "--", "- -", ",-" (after any "Rp" is removed).
_NOTHING = re.compile(r"[-\s]*(?:[.,]\s*-)?")
_SPACE_GROUPS = re.compile(r"[0-9]{1,3}(?: [0-9]{3})+(?:[.,][0-9]+)?")  # "1 500 000"
_PLAIN = re.compile(r"[0-9]+")
_ID_GROUPED = re.compile(r"[0-9]+(?:\.[0-9]{3})+(?:,[0-9]+)?")  # "1.500.000,00"
_ID_DECIMAL = re.compile(r"[0-9]+,[0-9]+")  # "1,5"
_EN_GROUPED = re.compile(r"[0-9]+(?:,[0-9]{3})+(?:\.[0-9]+)?")  # "1,500,000.00"
_EN_DECIMAL = re.compile(r"[0-9]+\.[0-9]+")  # "1.5"
# One dot with a proper leading group: "1.500" is 1500 in Indonesian writing, not 1,5.
_DOT_THOUSANDS = re.compile(r"[0-9]{1,3}\.[0-9]{3}")
_EXCEL_ERROR = re.compile(r"#(?:N/A|VALUE!|REF!|DIV/0!|NUM!|NAME\?|NULL!|SPILL!|CALC!)",
                          re.IGNORECASE)


def _prepare(text: str) -> str:
    """Unicode-normalised text: NBSP and full-width forms folded, any dash a plain '-'."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_DASHES)
    return " ".join(text.split())


def _readings(number: str) -> list[Decimal]:
    """Every value the digits and separators can mean, Indonesian reading first.

    Two readings happen only with one separator followed by exactly three digits:
    "1.500" (1500 or 1,5) and "1,500" (1,5 or 1500). Empty when it is not a number.
    """
    if len(number) > _MAX_NUMBER_TEXT:
        return []
    if _SPACE_GROUPS.fullmatch(number):
        number = number.replace(" ", "")
    if _PLAIN.fullmatch(number):
        return [Decimal(number)]
    found: list[Decimal] = []
    if _ID_GROUPED.fullmatch(number) or _ID_DECIMAL.fullmatch(number):
        whole, _, decimals = number.partition(",")
        found.append(Decimal(whole.replace(".", "") + "." + (decimals or "0")))
    if _EN_GROUPED.fullmatch(number) or _EN_DECIMAL.fullmatch(number):
        reading = Decimal(number.replace(",", ""))
        if reading not in found:
            found.append(reading)
    return found


def _is_whole(number: Decimal) -> bool:
    return number == number.to_integral_value()


def _id_format(number: Decimal) -> str:
    """1500000 -> "1.500.000", 1.5 -> "1,5": how a participant would write it."""
    text = format(number.normalize(), "f") if not _is_whole(number) else str(int(number))
    whole, _, decimals = text.partition(".")
    whole = thousands(int(whole))
    return f"{whole},{decimals}" if decimals else whole


def _from_real(number: numbers.Real | Decimal) -> Decimal | None:
    """An Excel number as Decimal, at Excel's 15 significant digits; None for nan/inf.

    15 digits absorb float noise from participants' formulas (=1500000*1.1 gives
    1650000.0000000002, which Excel shows and stores as 1650000).
    """
    try:
        as_float = float(number)
    except (OverflowError, ValueError, TypeError):
        return None
    if not math.isfinite(as_float):
        return None
    return Decimal(format(as_float, ".15g"))


# --- money -------------------------------------------------------------------------------

# Informal units (any case, optional trailing dot): word -> (multiplier, name in messages).
_UNITS: dict[str, tuple[int, str]] = {
    **dict.fromkeys(("rb", "ribu", "k"), (10**3, "ribu")),
    **dict.fromkeys(("jt", "juta"), (10**6, "juta")),
    **dict.fromkeys(("m", "miliar", "milyar", "mily", "milyard", "miliard"), (10**9, "miliar")),
    **dict.fromkeys(("t", "triliun", "trilyun"), (10**12, "triliun")),
}
_CURRENCY_PREFIX = re.compile(r"(?:rp\.?|idr)\s*", re.IGNORECASE)
_CURRENCY_SUFFIX = re.compile(r"\s*(?:rupiah|rp\.?|idr)$", re.IGNORECASE)
_TRAILING_DASH = re.compile(r"[.,]\s*-+$")  # "1.500.000,-"
_WITH_UNIT = re.compile(r"(?P<number>.*?[0-9])\s*(?P<unit>[^\W\d_]+)\.?")

_ZERO = Parsed(0, None)


def parse_money(value: object) -> Parsed:
    """A budget cell as whole Rupiah (int >= 0), or a UANG_* problem with value None.

    Blank, "-", "--", en/em dash and "Rp -" mean 0. Decisions on unclear forms:
    - "1.500" is 1500 (a dot before three digits groups thousands), "1,500" is ambiguous
      (1,5 or 1.500?), and so is "1500.000" (a badly grouped 1.500.000, or 1500?).
    - "1,500,000" (several comma groups) and "1,500.00" (both separators, so the roles are
      clear) are read the English way.
    - A decimal below 1.000 without a unit ("1,5", "1.5", 12.5 from Excel) is ambiguous:
      most likely a forgotten "juta"/"miliar". From 1.000 up ("1.500,50", 1500000.5) it
      is UANG_PECAHAN (not whole Rupiah).
    - With a unit the number is a decimal ("1,5 M", "1.5 M"); a single separator before
      exactly three digits stays ambiguous ("1.500 jt": 1,5 juta or 1.500 juta?).
    - "M" is miliar (10^9) and "T" triliun, as in Indonesian budget writing.
    - Excel numbers are taken at 15 significant digits (as Excel stores them).
    """
    if value is None or value == "":  # calamine reads a blank cell as ""
        return _ZERO
    if type(value) is float and value.is_integer() and 0 <= value < 1e15:
        return _money_amount(Decimal(int(value)), unit=None)  # the usual typed amount
    if isinstance(value, bool):
        return Parsed(None, UNREADABLE, "nilai TRUE/FALSE, bukan angka")
    if isinstance(value, str):
        return _money_from_text(value)
    if isinstance(value, numbers.Integral):
        return _money_amount(Decimal(int(value)), unit=None)
    if isinstance(value, (numbers.Real, Decimal)):
        number = _from_real(value)
        if number is None:
            return Parsed(None, UNREADABLE, "bukan angka (NaN/tak hingga)")
        return _money_amount(number, unit=None)
    if isinstance(value, (dt.date, dt.time)):
        return Parsed(None, UNREADABLE, "berisi tanggal/waktu, bukan angka")
    return Parsed(None, UNREADABLE, f"jenis nilai {type(value).__name__} tidak dikenal")


def _money_from_text(raw: str) -> Parsed:
    text = _prepare(raw)
    if _NOTHING.fullmatch(text):
        return _ZERO
    if text.startswith("="):
        return Parsed(None, UNREADABLE, "rumus tersimpan sebagai teks")
    if _EXCEL_ERROR.fullmatch(text):
        return Parsed(None, UNREADABLE, "hasil rumus Excel berupa galat")
    if len(text) > _MAX_NUMBER_TEXT:
        return Parsed(None, UNREADABLE, "teks terlalu panjang untuk sebuah angka")
    negative, text = _strip_sign_and_currency(text)
    if _NOTHING.fullmatch(text):
        return _ZERO  # "Rp", "Rp -", "Rp. -,-"
    if text.endswith("%"):
        if _readings(text[:-1].strip()):
            return Parsed(None, PERCENT, "persentase, bukan Rupiah")
        return Parsed(None, UNREADABLE, "bukan angka")
    text = _strip_suffixes(text)
    number, unit = text, None
    with_unit = _WITH_UNIT.fullmatch(text)
    if with_unit:
        unit = _UNITS.get(with_unit["unit"].casefold())
        if unit is None:
            return Parsed(None, UNREADABLE, f"satuan '{with_unit['unit']}' tidak dikenal")
        number = with_unit["number"]
    readings = _readings(number)
    if not readings:
        return Parsed(None, UNREADABLE, "bukan angka")
    if negative:
        if all(r == 0 for r in readings):
            return _ZERO
        return Parsed(None, NEGATIVE, "angka negatif")
    if len(readings) > 1 and (unit is not None or not _DOT_THOUSANDS.fullmatch(number)):
        name = f" {unit[1]}" if unit else ""
        low, high = sorted(readings)
        return Parsed(None, AMBIGUOUS, f"{_id_format(low)}{name} atau {_id_format(high)}{name}?")
    multiplier = unit[0] if unit else 1
    return _money_amount(readings[0] * multiplier, unit=unit)


def _strip_sign_and_currency(text: str) -> tuple[bool, str]:
    """Remove "Rp"/"IDR" and a minus or accounting parentheses, in whatever order typed.

    "-Rp 1.500.000", "Rp -1.500.000", "(Rp 1.500.000)", "Rp (1.500.000)".
    """
    negative = False
    for _ in range(3):
        before = text
        prefix = _CURRENCY_PREFIX.match(text)
        if prefix:
            text = text[prefix.end():]
        if text.startswith("(") and text.endswith(")"):
            negative, text = True, text[1:-1].strip()
        elif text.startswith("-") and not _NOTHING.fullmatch(text):
            negative, text = True, text[1:].strip()
        if text == before:
            break
    return negative, text


def _strip_suffixes(text: str) -> str:
    """Drop the ",-" ending and a trailing "rupiah"/"Rp" ("250 juta rupiah")."""
    text = _CURRENCY_SUFFIX.sub("", _TRAILING_DASH.sub("", text))
    return _TRAILING_DASH.sub("", text).rstrip()


def _money_amount(amount: Decimal, unit: tuple[int, str] | None) -> Parsed:
    """Check an amount already in Rupiah: sign, size, whole Rupiah."""
    if amount < 0:
        return Parsed(None, NEGATIVE, "angka negatif")
    if amount > MAX_RUPIAH:
        return Parsed(None, UNREADABLE, "angka terlalu besar (lebih dari 1.000 triliun)")
    if not _is_whole(amount):
        if unit is None and amount < 1000:
            shown = _id_format(amount)
            return Parsed(None, AMBIGUOUS, f"{shown} juta atau {shown} miliar?")
        return Parsed(None, FRACTION, f"{_id_format(amount)} Rupiah, ada sen/desimal")
    return Parsed(int(amount), None)


# --- targets -----------------------------------------------------------------------------

_BLANK = Parsed(None, None)


def parse_target(value: object) -> Parsed:
    """An optional target: a number (int when whole, else float), "%" dropped.

    Blank or a lone "-" is no target (value None, no code). "1.000" is 1000; "1,000" is
    reported (1 or 1.000?) rather than guessed. Negative numbers are allowed (a planned
    decrease). Anything else is TARGET_TIDAK_TERBACA.
    """
    parsed = _parse_target(value)
    if parsed.value is not None and abs(parsed.value) > MAX_RUPIAH:
        return Parsed(None, TARGET_UNREADABLE, "angka terlalu besar")
    return parsed


def _parse_target(value: object) -> Parsed:
    if value is None or value == "":
        return _BLANK
    if isinstance(value, bool):
        return Parsed(None, TARGET_UNREADABLE, "nilai TRUE/FALSE, bukan angka")
    if isinstance(value, str):
        return _target_from_text(value)
    if isinstance(value, numbers.Integral):
        return Parsed(int(value), None)
    if isinstance(value, (numbers.Real, Decimal)):
        number = _from_real(value)
        if number is None:
            return Parsed(None, TARGET_UNREADABLE, "bukan angka (NaN/tak hingga)")
        return Parsed(_plain_number(number), None)
    if isinstance(value, (dt.date, dt.time)):
        return Parsed(None, TARGET_UNREADABLE, "berisi tanggal/waktu, bukan angka")
    return Parsed(None, TARGET_UNREADABLE, f"jenis nilai {type(value).__name__} tidak dikenal")


def _target_from_text(raw: str) -> Parsed:
    text = _prepare(raw)
    if _NOTHING.fullmatch(text):
        return _BLANK
    if text.startswith("="):
        return Parsed(None, TARGET_UNREADABLE, "rumus tersimpan sebagai teks")
    text = text.removesuffix("%").rstrip()
    sign = -1 if text.startswith("-") else 1
    number = text.lstrip("+-").strip() if text[:1] in "+-" else text
    readings = _readings(number)
    if not readings:
        return Parsed(None, TARGET_UNREADABLE, "bukan angka")
    if len(readings) > 1 and not _DOT_THOUSANDS.fullmatch(number):
        low, high = sorted(readings)
        return Parsed(None, TARGET_UNREADABLE, f"{_id_format(low)} atau {_id_format(high)}?")
    return Parsed(_plain_number(sign * readings[0]), None)


def _plain_number(number: Decimal) -> int | float:
    if _is_whole(number):
        return int(number)
    return float(number)


# --- codes and labels --------------------------------------------------------------------

# U.BB.PP.K.KK.SSSS; any level prefix is valid (Kepmendagri 050-5889/2021). Urusan codes
# run 1-9; the "X.XX" of the Kepmendagri tables is a placeholder for the OPD's own bidang.
_NOMENCLATURE = re.compile(r"[1-9](?:\.[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]\.[0-9]{2}"
                           r"(?:\.[0-9]{4})?)?)?)?")


def valid_nomenclature(code: object) -> bool:
    """True for "2", "2.16", "2.16.03", "2.16.03.2.02", "2.16.03.2.02.0035"."""
    if not isinstance(code, str):
        return False
    return _NOMENCLATURE.fullmatch(code.strip()) is not None


# A total row starts with one of these and goes on only with words that name what is
# summed; "Jumlah Wisatawan" or "Total Quality Management" are programs, not totals.
_TOTAL_WORDS = {"jumlah", "jml", "total", "subtotal", "grandtotal"}
_TOTAL_PREFIXES = {"sub", "grand"}
_TOTAL_STARTS = {word[:3] for word in _TOTAL_WORDS | _TOTAL_PREFIXES}
_TOTAL_QUALIFIERS = _TOTAL_WORDS | {
    "anggaran", "biaya", "dana", "pagu", "nilai", "keseluruhan", "seluruhnya", "seluruh",
    "semua", "program", "kegiatan", "akhir", "umum", "rp", "rupiah", "idr", "per", "tahun",
    "opd",
}
_WORD = re.compile(r"[^\W_]+")


def is_total_label(text: object) -> bool:
    """True for a total row typed by a participant: "JUMLAH", "Total Anggaran (Rp)",
    "Sub Total", "GRAND TOTAL", "Jumlah Keseluruhan", "TOTAL :".

    The label must start with jumlah/total (or sub/grand total) and every further word
    must be a word naming the sum (anggaran, keseluruhan, ...) or a number (a year).
    """
    if not isinstance(text, str) or len(text) > 100:  # six words at most: never longer
        return False
    folded = key(text)
    first = _WORD.search(folded)
    if first is None or first.group()[:3] not in _TOTAL_STARTS:  # the usual cell
        return False
    words = _WORD.findall(folded)
    if len(words) >= 2 and words[0] in _TOTAL_PREFIXES and words[1] in _TOTAL_WORDS:
        words = words[1:]
    if not words or words[0] not in _TOTAL_WORDS or len(words) > 6:
        return False
    return all(word in _TOTAL_QUALIFIERS or word.isdecimal() for word in words[1:])
