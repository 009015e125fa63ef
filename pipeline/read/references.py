"""The [rujukan] lists: the regency's RPJMD/RPD programs and the national nomenclature.

The Bappeda keeps both as spreadsheets made for people: a title (often merged cells) above
the header row, codes typed with stray spaces or dots or in the 2019 form
(`2.16.02.2.01.01`, now `2.16.02.2.01.0001`), names broken over lines. Both are read as
people have them: the header row is searched for, codes and names are normalised, a few
bad rows are skipped and reported; a file that cannot be such a list stops the command
(`ConfigError` on `rujukan.rpjmd` / `rujukan.nomenklatur`, exit 2).

A command reads them once (`load_config`, cached by file path, modification time and
size); the config key of the judgements and the templates' fingerprint include the files'
hash (`files_digest`), so a changed list re-judges stored files.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import replace
from pathlib import Path

from ..config import CONFIG_NAME, Config, ConfigError, Opd, ReferenceFile, References, RpjmdProgram
from ..workspace import Workspace
from .codes import normalise_code
from .normalise import clean_text, key
from .sheets import UnreadableFile, load_sheets
from .sipd import EXPECTED_SKIPS, Level, read_sipd
from .sipd_columns import HEADER_SEARCH_ROWS, column_numbers

# Of the non-blank cells of the code column, at least this share must be codes.
MIN_CODE_SHARE = 0.5

_cache: dict[tuple, tuple[object, str]] = {}


# --- the command's view ---------------------------------------------------------------------

def load_config(ws: Workspace) -> Config:
    """The workspace config with its [rujukan] lists read (ConfigError when one is bad)."""
    return attach(ws.load_config(), ws.root)


def attach(cfg: Config, root: Path) -> Config:
    """cfg with `references` set, when [rujukan] names any list; cfg itself otherwise."""
    if not cfg.reference_files or cfg.references is not None:
        return cfg
    read = [(name, written, _read_cached(cfg, root, name, written))
            for name, written in cfg.reference_files]
    # The same lists give the same References object: read.matching's caches (keyed by
    # it) stay warm across the reloads of `masterplan watch`.
    same = ("references", *((name, written, id(found)) for name, written, found in read))
    if same not in _cache:
        rpjmd = next((found[0] for name, _, found in read if name == "rpjmd"), None)
        nomenclature = [found for name, _, found in read if name == "nomenklatur"]
        skipped = tuple((name, written, row, why) for name, written, found in read
                        for row, why in found[1])
        _cache[same] = (References(
            nomenclature=_merged([names for names, _, _ in nomenclature]) if nomenclature
            else None, rpjmd=rpjmd, skipped=skipped,
            digest=files_digest(root, cfg.reference_files),
            read=tuple(summary for _, _, summary in nomenclature)), "")
    return replace(cfg, references=_cache[same][0])


def _merged(lists: list[dict[str, str]]) -> dict[str, str]:
    """Several nomenclature files as one list: a code named in any file has that name."""
    if len(lists) == 1:
        return lists[0]
    merged: dict[str, str] = {}
    for names in lists:
        for code, name in names.items():
            if not merged.get(code):
                merged[code] = name
    return merged


def files_digest(root: Path, files: tuple[tuple[str, str], ...]) -> str:
    """A hash of the [rujukan] files' bytes ("" when none is named)."""
    if not files:
        return ""
    digest = hashlib.sha256()
    for name, written in files:
        path = root / written
        digest.update(f"{name}={written}\n".encode())
        digest.update(_file_hash(path).encode())
    return digest.hexdigest()


def _stamp(path: Path) -> tuple | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def _file_hash(path: Path) -> str:
    stamp = _stamp(path)
    if stamp is None:
        return "hilang"
    cached = _cache.get(("hash", *stamp))
    if cached is None:
        cached = (None, hashlib.sha256(path.read_bytes()).hexdigest())
        _cache[("hash", *stamp)] = cached
    return cached[1]


def _read_cached(cfg: Config, root: Path, name: str, written: str):
    path = root / written
    where = root / CONFIG_NAME
    if not path.is_file():
        raise ConfigError(f"rujukan.{name}", f"berkas '{written}' tidak ditemukan di "
                          f"{path.parent}; periksa nama berkasnya atau hapus kunci ini.", where)
    stamp = _stamp(path)
    opds = tuple((o.kode, o.nama, o.singkatan) for o in cfg.opds)
    cache_key = (name, *stamp, opds if name == "rpjmd" else ())
    if cache_key not in _cache:
        try:
            _cache[cache_key] = (_nomenclature(path, written) if name == "nomenklatur"
                                 else _rpjmd_list(path, cfg.opds))
        except ConfigError as exc:
            exc.path = where
            raise
    return _cache[cache_key]


# --- reading a list ----------------------------------------------------------------------------

def _fail(name: str, path: Path, what: str) -> ConfigError:
    return ConfigError(f"rujukan.{name}", f"berkas '{path.name}' {what}")


def _rpjmd_list(path: Path, opds: tuple[Opd, ...]):
    try:
        sheets = load_sheets(path)
    except UnreadableFile as exc:
        raise _fail("rpjmd", path, str(exc)) from exc
    for _, rows in sheets:
        header = _find_header(rows)
        if header is not None:
            at, columns = header
            body = [(at + 2 + i, row) for i, row in enumerate(rows[at + 1:])
                    if not (i < 2 and column_numbers(row))]
            return _rpjmd(path, body, columns, opds)
    raise _fail("rpjmd", path, "tidak punya baris judul kolom yang dikenali: dicari 'Program' "
                               f"(atau 'Nama Program') di {HEADER_SEARCH_ROWS} baris pertama; "
                               "tambahkan judul kolom itu.")


def _nomenclature(path: Path, written: str):
    """The codes and names of a nomenclature file (read.sipd: any form of SIPD download or
    list), the rows skipped, and what the file gave (`ReferenceFile`)."""
    try:
        document = read_sipd(path)
    except UnreadableFile as exc:
        raise _fail("nomenklatur", path, str(exc)) from exc
    typed = document.bad_codes + len(document.entries)
    if document.bad_codes and document.bad_codes > (1 - MIN_CODE_SHARE) * typed:
        example = next(s.why for s in document.skipped if s.why.startswith("kode "))
        raise _fail("nomenklatur", path, f"kolom kode sebagian besar bukan kode nomenklatur "
                                         f"({document.bad_codes} dari {typed} baris, misalnya "
                                         f"{example}); periksa kolom 'Kode' (bentuk "
                                         "2.16.02.2.01.0001).")
    names = document.names()
    if not names:
        raise _fail("nomenklatur", path, "tidak berisi satu baris kode dan nama pun di bawah "
                                         "judul kolom.")
    coded = {(entry.sheet, entry.row) for entry in document.entries}
    # An amount the list cannot read says nothing about its codes.
    skipped = tuple((s.sheet, s.row, s.why) for s in document.skipped
                    if (s.sheet, s.row) not in coded)
    several = len(document.sheets) > 1
    counts = document.codes_per_level()
    summary = ReferenceFile(written, document.form, document.sheets,
                            tuple(counts[level] for level in Level),
                            len(document.derived()), skipped, document.warnings)
    # `run` notes the rows that may be a misread; totals and empty groups are shown by
    # `masterplan rujukan` only.
    return names, [(row, f"lembar {sheet}: {why}" if several or not row else why)
                   for sheet, row, why in skipped if why not in EXPECTED_SKIPS], summary


_CODE_HEADERS = ("kode", "kode rekening", "kode nomenklatur", "kode program", "no. kode")
_OPD_WORDS = ("opd", "perangkat daerah", "penanggung jawab", "pelaksana", "pengampu",
              "satuan kerja", "skpd")


def _header_kind(text: str) -> str | None:
    """What a header cell names: code, name, opd or None."""
    words = key(text).replace("\n", " ")
    if not words or len(words) > 60:
        return None
    if words.startswith("kode") or words in _CODE_HEADERS:
        return "code"
    if any(word in words for word in _OPD_WORDS):
        return "opd"
    if any(word in words for word in ("nomenklatur", "uraian", "program", "nama")):
        return "name"
    return None


_NAME_WORDS = ("nomenklatur", "uraian", "program", "nama")


def _find_header(rows: list[list[object]]) -> tuple[int, dict[str, int]] | None:
    """(row index, {kind: column}) of the row of the first 30 that looks most like the
    list's header: the most kinds of column recognised, a name cell that starts with its
    word ("Program", not "Daftar Program RPJMD"); the first of equals."""
    best: tuple[int, int, dict] | None = None
    for at, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [clean_text(cell) if isinstance(cell, str) else None for cell in row]
        if sum(1 for t in texts if t) < 2:
            continue  # a title line, merged across the table
        columns: dict = {}
        names: list[tuple[int, str]] = []
        for i, text in enumerate(texts):
            kind = _header_kind(text) if text else None
            if kind == "name":
                names.append((i, key(text)))
            elif kind and kind not in columns:
                columns[kind] = i
        if not names:
            continue
        # Two name columns (provinsi and kabupaten/kota): the regency's first.
        regency = [i for i, words in names if "kab" in words or "kota" in words]
        columns["name"] = regency[0] if regency else names[0][0]
        columns["names"] = [i for i, _ in names]
        columns["header"] = key(texts[columns["name"]])
        score = 2 * len({"code", "opd"} & set(columns)) + \
            columns["header"].startswith(_NAME_WORDS)
        if best is None or score > best[1]:
            best = (at, score, columns)
    return (best[0], best[2]) if best else None


def _cell(row: list[object], column: int | None) -> object:
    return row[column] if column is not None and column < len(row) else None


def _name(row: list[object], columns: dict) -> str | None:
    for column in [columns["name"], *columns["names"]]:
        text = clean_text(_cell(row, column))
        if text:
            return " ".join(text.split())
    return None


def _rpjmd(path: Path, body, columns: dict, opds: tuple[Opd, ...]):
    programs: list[RpjmdProgram] = []
    skipped: list[tuple[int, str]] = []
    seen: dict[str, int] = {}  # name key -> index in programs
    typed = bad = 0
    for row_number, row in body:
        name = _name(row, columns)
        raw_code = clean_text(_cell(row, columns.get("code")))
        owners_text = clean_text(_cell(row, columns.get("opd")))
        if not name or key(name) == columns["header"]:  # a header repeated on each page
            if not name and (raw_code or owners_text):
                skipped.append((row_number, "nama program kosong"))
            continue
        code = ""
        if raw_code:
            typed += 1
            code = normalise_code(raw_code) or ""
            if not code:
                bad += 1
                skipped.append((row_number, f"kode '{raw_code}' tidak dibaca (program tetap "
                                            "dipakai tanpa kode)"))
        owners, unknown = match_opds(owners_text, opds)
        if unknown:
            skipped.append((row_number, f"OPD tidak dikenal: {', '.join(unknown)} (program "
                                        "tetap dipakai)"))
        if key(name) in seen:  # listed again (another OPD, another row): one program
            first = seen[key(name)]
            merged = tuple(dict.fromkeys(programs[first].opds + owners))
            programs[first] = replace(programs[first], code=programs[first].code or code,
                                      opds=merged)
            skipped.append((row_number, f"program '{name}' tercantum lagi; OPD-nya "
                                        "digabung"))
            continue
        seen[key(name)] = len(programs)
        programs.append(RpjmdProgram(name, code, owners))
    if typed and bad / typed > 1 - MIN_CODE_SHARE:
        raise _fail("rpjmd", path, f"kolom kode sebagian besar bukan kode nomenklatur ({bad} "
                                   f"dari {typed} baris); kosongkan atau perbaiki kolom itu.")
    if not programs:
        raise _fail("rpjmd", path, "tidak berisi satu nama program pun di bawah judul kolom.")
    return tuple(programs), skipped


@functools.lru_cache(maxsize=8)
def _opd_patterns(opds: tuple[Opd, ...]) -> list[tuple[str, str, re.Pattern]]:
    """(name key, OPD code, pattern) of every kode, singkatan and nama, longest first."""
    names = sorted({(key(n), opd.kode) for opd in opds for n in (opd.kode, opd.singkatan,
                                                                  opd.nama)},
                   key=lambda pair: -len(pair[0]))
    return [(name, code, re.compile(rf"(?<![\w.]){re.escape(name)}(?![\w.])"))
            for name, code in names]


def match_opds(text: str | None, opds: tuple[Opd, ...]) -> tuple[tuple[str, ...], list[str]]:
    """The OPD codes a cell names (by kode, singkatan or nama, several separated by ',',
    ';', '/', a line break or ' dan '), and the parts naming no OPD."""
    if not text:
        return (), []
    found: dict[str, int] = {}  # OPD code -> where the cell names it first
    rest = key(text)
    for name, code, pattern in _opd_patterns(opds):
        hit = pattern.search(rest) if name in rest else None
        if hit:
            rest = pattern.sub(lambda m: " ; ".ljust(len(m.group())), rest)
            found[code] = min(found.get(code, hit.start()), hit.start())
    leftover = [part.strip() for part in re.split(r"[,;/\n]|\bdan\b", rest)]
    return (tuple(sorted(found, key=found.get)),
            [part for part in leftover if part and part not in ("-", "&")])
