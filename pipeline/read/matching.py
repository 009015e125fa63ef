"""Look typed codes and references up in the [rujukan] lists (pipeline.read.references).

Used by the validation rules (does the code exist, does the name fit it, which RPJMD
program does the reference mean) and by the consolidation (the CSV columns and the
`Keselarasan RPJMD` sheet), so both agree. rapidfuzz is imported only here, and only when
a list is given. Every lookup is cached per `References` object (hashed by identity).
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from ..config import References, RpjmdProgram
from .codes import level, normalise_code
from .normalise import clean_text, key

# rapidfuzz scores (0-100) behind the decisions.
RPJMD_TAKEN = 88  # a reference this close to one program is taken as that program
RPJMD_SUGGEST = 60  # below RPJMD_TAKEN but this close: suggested, not taken
NAME_FITS = 85  # two words this close are the same word ("pendaftaran", "pendaftar")
NAME_SUGGEST = 70  # a code suggested by the program name must score this
SUGGESTED_CODES = 3

# Words every official name has: they say nothing about whether a name fits a code.
_FILLER = {"program", "kegiatan", "sub", "dan", "atau", "yang", "di", "ke", "untuk", "pada",
           "dalam", "bagi", "serta", "daerah", "kabupaten", "kota", "kabupaten/kota",
           "penyelenggaraan", "pengelolaan", "peningkatan", "pengembangan", "penyediaan",
           "pelaksanaan", "layanan", "pelayanan", "urusan", "pemerintahan"}
_DOC_PREFIX = re.compile(r"^\s*(?:rpjmd|rpd|rpjpd|renstra(?: pd)?)\b\s*[:\-.]?\s*", re.I)


def lookup_code(refs: References, typed: object) -> tuple[str | None, str | None]:
    """(normalised code, official name): name None when the code is not in the list (or no
    nomenclature list is given), code None when the text is no code at all."""
    code = normalise_code(clean_text(typed))
    if code is None or not refs.nomenclature:
        return code, None
    name = refs.nomenclature.get(code)
    if name is None and level(code) >= 3:  # a supporting program written for any bidang
        name = refs.nomenclature.get("X.XX." + code.split(".", 2)[2])
    return code, name


def nearest_codes(refs: References, code: str) -> list[str]:
    """Existing codes of the typed code's level under its longest existing prefix."""
    codes = _sorted_codes(refs)
    parts = code.split(".")
    for n in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:n]) + "."
        start = bisect.bisect_left(codes, prefix)
        near = []
        for other in codes[start:]:
            if not other.startswith(prefix):
                break
            if level(other) == len(parts):
                near.append(other)
        if near:
            # The ones nearest in number first.
            near.sort(key=lambda c: abs(_number(c) - _number(code)))
            return near[:SUGGESTED_CODES]
    return []


def _number(code: str) -> int:
    return int(re.sub(r"\D", "", code) or 0)


def code_for_name(refs: References, name: str | None, at_level: int) -> str | None:
    """'code (official name)' of the code whose name is nearest the program name."""
    if not name or not refs.nomenclature:
        return None
    from rapidfuzz import fuzz, process, utils

    choices = _names_at_level(refs, at_level)
    if not choices:
        return None
    best = process.extractOne(name, choices, scorer=fuzz.token_set_ratio,
                              processor=utils.default_process, score_cutoff=NAME_SUGGEST)
    if best is None:
        return None
    code = best[2]
    return f"{code} ({refs.nomenclature[code]})"


def name_fits(refs: References, code: str, *texts: str | None) -> bool:
    """Whether a program (its name, and the description and RPJMD reference given with it)
    shares a word that carries meaning, spelling aside, with the official names of its
    code and the code's parents (bidang, program, kegiatan)."""
    if not refs.nomenclature:
        return True
    from rapidfuzz import fuzz

    wanted = {word for text in texts if text for word in _meaning(text).split()}
    official = {word for parent in _parents(code)
                for word in _meaning(refs.nomenclature.get(parent) or "").split()}
    if not wanted or not official:
        return True
    return any(fuzz.ratio(a, b) >= NAME_FITS for a in wanted for b in official)


def _parents(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:n]) for n in (2, 3, 5, 6) if n <= len(parts)]


@functools.lru_cache(maxsize=65536)
def _meaning(name: str) -> str:
    words = re.findall(r"[^\W_]+", key(name))
    return " ".join(w for w in words if w not in _FILLER and len(w) > 2)


@functools.lru_cache(maxsize=16)
def _sorted_codes(refs: References) -> list[str]:
    return sorted(refs.nomenclature or {})


@functools.lru_cache(maxsize=64)
def _names_at_level(refs: References, at_level: int) -> dict[str, str]:
    return {code: name for code, name in (refs.nomenclature or {}).items()
            if level(code) == at_level}


# --- RPJMD references ------------------------------------------------------------------------

@dataclass(frozen=True)
class RpjmdMatch:
    program: RpjmdProgram | None  # the program taken; None: no program matches
    exact: bool = False  # typed as in the list (case, spacing, "RPJMD:" aside)
    suggestion: str | None = None  # when nothing is taken: the nearest program's name


def opd_programs(refs: References, opd: str) -> tuple[RpjmdProgram, ...]:
    """The RPJMD programs an OPD may refer to: its own and those the list gives to no OPD
    (every program when that leaves none)."""
    programs = refs.rpjmd or ()
    own = tuple(p for p in programs if opd in p.opds or not p.opds)
    return own or tuple(programs)


def match_rpjmd(refs: References, typed: object, opd: str | None) -> RpjmdMatch:
    text = clean_text(typed)
    if not text or not refs.rpjmd:
        return RpjmdMatch(None)
    return _match(refs, text, opd or "")


@functools.lru_cache(maxsize=65536)
def _match(refs: References, text: str, opd: str) -> RpjmdMatch:
    wanted = _reference_key(text)
    exact = _by_key(refs).get(wanted)
    if exact is not None:
        return RpjmdMatch(exact, True)
    code = normalise_code(text.split()[0]) if text.split() else None
    by_code = _by_code(refs).get(code) if code else None
    if by_code is not None:
        return RpjmdMatch(by_code, True)
    from rapidfuzz import fuzz, process

    best = None
    for programs in (opd_programs(refs, opd), refs.rpjmd):
        keys = {i: _reference_key(p.name) for i, p in enumerate(programs)}
        found = process.extractOne(wanted, keys, scorer=fuzz.ratio)
        if found and found[1] >= RPJMD_TAKEN:
            return RpjmdMatch(programs[found[2]])
        if found and (best is None or found[1] > best[1]):
            best = (programs[found[2]], found[1])
    suggestion = best[0].name if best and best[1] >= RPJMD_SUGGEST else None
    return RpjmdMatch(None, suggestion=suggestion)


def _reference_key(text: str) -> str:
    """'RPD: Program  Pencatatan Sipil' -> 'pencatatan sipil'; an abbreviation in
    brackets goes too ('... Angkutan Jalan (LLAJ)')."""
    words = key(re.sub(r"\([^()]*\)", " ", _DOC_PREFIX.sub("", text)))
    words = re.sub(r"^(?:\d[\d.\s]*\s+)", "", words)  # a leading code
    return re.sub(r"^program\s+", "", words).strip(" .;:-")


@functools.lru_cache(maxsize=16)
def _by_key(refs: References) -> dict[str, RpjmdProgram]:
    return {_reference_key(p.name): p for p in reversed(refs.rpjmd or ())}


@functools.lru_cache(maxsize=16)
def _by_code(refs: References) -> dict[str, RpjmdProgram]:
    return {p.code: p for p in reversed(refs.rpjmd or ()) if p.code}
