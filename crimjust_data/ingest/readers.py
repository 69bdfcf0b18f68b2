"""Read a table file (XLSX or CSV/TXT) into a frame of strings, with row numbers the user sees.

Every reader in the project goes through `read_table_file`: the UNODC importer now, the analyst
upload later. Nothing is converted: every cell comes back as text (leading and trailing spaces
and invisible characters, such as a byte-order mark, removed; empty = NA), so a code like '007'
or a date stays as typed and the caller decides what it means. Blank header names become
column_<n>, repeated ones get a _2, _3 suffix. XLSX cells come back as the text a user sees (whole numbers
without '.0', dates as YYYY-MM-DD).

What is detected, so the user does not have to say:
- the format, from the file's first bytes rather than its name (an XLSX renamed .csv still reads);
- for text: the encoding (UTF-8 with or without BOM, UTF-16/32 with BOM, UTF-16 without BOM,
  else cp1252, else latin-1), an Excel 'sep=;' first line, and the delimiter among ',', ';', tab;
- leading empty rows and title rows above the header (a row with one filled cell, or far fewer
  filled cells than the row below it).

What is wrong but readable is noted rather than refused (`TableFile.notes`, each with its row
and column): the normaliser reports the notes marked `error` as errors, the others as warnings.

Row numbers: `TableFile.first_data_row` (also `frame.attrs["first_data_row"]`) is the spreadsheet
row number (1-based, as Excel shows it; for CSV, the record number) of the frame's first row.
Empty rows between data rows are kept as all-NA rows, so frame position `i` is always spreadsheet
row `first_data_row + i`; pass it as `row_offset` to `schemas.validate_table`. A frame made by
reshaping a file (layouts.wdr_to_long) carries the file row of each of its rows instead, in
`TableFile.row_numbers` (also `frame.attrs["row_numbers"]`); `TableFile.row_number(i)` gives the
right number either way.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import datetime as dt
import functools
import hashlib
import io
import itertools
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from crimjust_data import i18n
from crimjust_data.errors import InputFileError
from crimjust_data.i18n import N_, _
from crimjust_data.ids import INVISIBLE

__all__ = ["Note", "TableFile", "excel_sheet_names", "file_bytes", "read_table_file", "sha256_of"]

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
DELIMITERS = (",", ";", "\t")
MAX_TITLE_ROWS = 5  # title/subtitle rows looked at above the header
# A big text file: the csv module reads its first records (from its first bytes), in which the
# header is found, and pyarrow the rest (_load_text).
HEAD_RECORDS = 64
HEAD_BYTES = 1 << 20
_UTF8 = ("utf-8", "utf-8-sig")
# pyarrow reads every column as text: no column is left for it to guess a type for. (Large
# strings: what pandas keeps text in, so the frame is made without a copy.)
_TEXT = pa.large_string()
_ALL_TEXT = {f"f{j}": _TEXT for j in range(16384)}

# First bytes of files that are surely not a text table, with what to tell the user
# (translated where it is shown: _binary_kind).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"GIF87a", N_("a GIF image")),
    (b"GIF89a", N_("a GIF image")),
    (b"%PDF", N_("a PDF document")),
    (b"\x1f\x8b", N_("a gzip archive")),
    (b"7z\xbc\xaf\x27\x1c", N_("a 7-Zip archive")),
    (b"Rar!\x1a\x07", N_("a RAR archive")),
    (b"SQLite format 3\x00", N_("an SQLite database")),
    (b"\x7fELF", N_("a program file")),
    (b"MZ", N_("a program file")),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or a password-protected .xlsx
_ZIP = b"PK\x03\x04"
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Stripped from both ends of every cell: whitespace (what str.strip() removes) and characters
# that print as nothing, such as a byte-order mark left at the start of a line when files are
# pasted together, which would otherwise stay inside an id.
_EDGES = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + INVISIBLE
_BLANK = re.compile(rb"[ \t\r\n\x00]*")  # stops at the first other byte: no copy of a big file
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
# A workbook is a zip of XML: it may expand about ten to thirty times when opened, a 'zip bomb'
# thousands of times. Refused before openpyxl reads a byte of it: over MAX_EXPANSION times its
# size once past EXPANSION_FLOOR, or past MAX_EXPANDED_BYTES whatever the ratio.
MAX_EXPANSION = 100
EXPANSION_FLOOR = 64 << 20
MAX_EXPANDED_BYTES = 4 << 30
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream of a password-protected file
# Control characters no spreadsheet cell may hold (XML 1.0 forbids them; openpyxl refuses them):
# all below 32 but tab, line feed and carriage return. (NUL is refused as binary data before.)
_CONTROLS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f]")
# Letters of a file saved in another code page (Mac Roman, DOS) read as Windows-1252 or Latin-1
# turn into symbols between letters: 'C™te' for 'Côte'. (Quotes and letters such as
# 'œ' are left out: they sit between letters in real text.)
_GARBLING = (
    "[\x80-\x9f\u2020\u2021\u02c6\u2030\u2039\u203a\u2122\u2022\u2014\u2013\u017d\u2026"
    "\u0192\u201a\u201e\u00a4\u00a6\u00a8\u00ac\u00af\u00b8]"
)
_GARBLED = re.compile(f"[A-Za-z\u00c0-\u00ff]{_GARBLING}[a-z]")
# Bytes other than the control characters of _CONTROLS (and NUL): deleted, what is left is those.
_NOT_CONTROL = b"\t\n\r" + bytes(range(32, 256))


@dataclass(frozen=True)
class Note:
    """Something wrong in a file that could still be read, where it is, and what to do.

    `error`: the rows may not be what the file meant (a row split differently from its
    header): the file must not be imported as it is.
    """

    row: int | None
    column: str | None
    value: str | None
    message: str
    error: bool = False


@dataclass(frozen=True)
class TableFile:
    """A table read from a file: the frame (all text) and where its rows sit in the file."""

    frame: pd.DataFrame
    file_name: str
    first_data_row: int  # spreadsheet row number of frame row 0 (header row + 1)
    header_row: int  # spreadsheet row number of the header
    title: str | None  # text of the title row(s) above the header, if any
    sheet: str | None  # sheet read (XLSX only)
    encoding: str | None  # detected text encoding (CSV/TXT only)
    delimiter: str | None  # detected delimiter (CSV/TXT only)
    notes: tuple[Note, ...] = ()  # what is wrong but readable (see Note)
    # The file row of each frame row, for a frame made by reshaping the file (layouts.py: a wide
    # table turned into long rows, several rows coming from one file row); None: the frame's
    # rows are the file's, from first_data_row on.
    row_numbers: tuple[int, ...] | None = None

    def row_number(self, position: int) -> int:
        """Spreadsheet row number of the frame row at `position` (0-based)."""
        if self.row_numbers is not None:
            return self.row_numbers[position]
        return self.first_data_row + position

    def __iter__(self) -> Iterator[Any]:
        """Unpack as `frame, first_data_row = read_table_file(path)`."""
        return iter((self.frame, self.first_data_row))

    def __post_init__(self) -> None:
        self.frame.attrs.update(
            file_name=self.file_name,
            first_data_row=self.first_data_row,
            header_row=self.header_row,
            title=self.title,
            sheet=self.sheet,
            encoding=self.encoding,
            delimiter=self.delimiter,
            row_numbers=self.row_numbers,
        )
        if self.row_numbers is not None and len(self.row_numbers) != len(self.frame):
            raise ValueError("row_numbers must give one file row per frame row")


def sha256_of(path: Path | str) -> str:
    """Hex SHA-256 of a file's bytes (identifies a load in the versions table)."""
    digest = hashlib.sha256()
    try:
        with Path(path).open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        raise InputFileError(_("{name}: file not found").format(name=Path(path).name)) from None
    except OSError as exc:
        raise InputFileError(
            _("{name}: cannot be read ({reason})").format(name=Path(path).name, reason=exc.strerror)
        ) from None
    return digest.hexdigest()


def file_bytes(path: Path | str) -> bytes:
    """The bytes of a file; InputFileError with a one-line reason for a missing, folder or
    unreadable one (read_table_file's, for a caller that reads the file once for several uses)."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise InputFileError(_("{name}: file not found").format(name=name))
    if path.is_dir():
        raise InputFileError(_("{name}: is a folder, not a file").format(name=name))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputFileError(
            _("{name}: cannot be read ({reason})").format(name=name, reason=exc.strerror)
        ) from None


def read_table_file(
    path: Path | str,
    sheet: str | None = None,
    max_rows: int | None = None,
    *,
    data: bytes | None = None,
) -> TableFile:
    """Read the table in `path` (XLSX: `sheet`, default the first sheet; CSV/TXT: the file).

    Returns a TableFile: `.frame` (all text, missing = NA) and where its rows are in the file;
    it also unpacks as `frame, first_data_row = read_table_file(path)`, and the frame's `attrs`
    carry the same facts (file_name, first_data_row, header_row, title, sheet, encoding,
    delimiter) for code that only passes the frame on.

    `max_rows` stops after that many rows of the file (title and header included): enough to look
    at the headers of a big file without reading all of it.

    `data`: the file's bytes (file_bytes), when the caller has read them already.

    Raises InputFileError with a one-line reason for a missing, empty, binary or unreadable file
    and for a file without a header row.
    """
    path = Path(path)
    name = path.name
    raw = file_bytes(path) if data is None else data
    if _BLANK.fullmatch(raw) or raw in (codecs.BOM_UTF8, *_UTF16_BOMS, *_UTF32_BOMS):
        raise InputFileError(_("{name}: the file is empty").format(name=name))
    suffix = path.suffix.lower()
    if raw.startswith(_ZIP):
        return _load_excel(path, raw, sheet, max_rows)
    if raw.startswith(_OLE2):
        if _ENCRYPTED in raw:  # the name of the encrypted stream, in the container's directory
            raise InputFileError(
                _(
                    "{name}: the workbook is protected with a password (encrypted), so it cannot "
                    "be read: open it in Excel, save a copy without a password, and import that"
                ).format(name=name)
            )
        raise InputFileError(
            _(
                "{name}: an old-format Excel (.xls) or password-protected workbook cannot be "
                "read: save it as .xlsx (without a password) or as CSV"
            ).format(name=name)
        )
    if suffix in EXCEL_SUFFIXES:
        kind = _binary_kind(raw)
        if kind:
            message = _("{name}: cannot be opened as an Excel workbook: the file is {kind}")
        else:
            message = _(
                "{name}: cannot be opened as an Excel workbook: the file is text, not an Excel "
                "workbook (if it is CSV, rename it to .csv)"
            )
        raise InputFileError(message.format(name=name, kind=kind))
    if suffix == ".xls":
        raise InputFileError(
            _("{name}: not a readable .xls file: save it as .xlsx or as CSV").format(name=name)
        )
    kind = _binary_kind(raw)
    if kind:
        raise InputFileError(
            _("{name}: not a table file (CSV, TXT or XLSX): the file is {kind}").format(
                name=name, kind=kind
            )
        )
    return _load_text(name, raw, max_rows)


def excel_sheet_names(path: Path | str) -> list[str]:
    """Names of the sheets of an XLSX workbook, in order ([] for a file that is not XLSX)."""
    path = Path(path)
    try:
        with path.open("rb") as handle:  # a big CSV file: its first bytes tell
            if handle.read(len(_ZIP)) != _ZIP:
                return []
        raw = path.read_bytes()
    except OSError:
        return []
    workbook = _open_workbook(path, raw)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


# ---------------------------------------------------------------------------------------------
# XLSX


def _open_workbook(path: Path, raw: bytes) -> Any:
    """openpyxl's read-only workbook from the file's bytes (so any file name works)."""
    import openpyxl  # imported here: a CSV-only run does not pay for it

    _check_container(path.name, raw)
    try:
        return openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        NotImplementedError,
    ) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputFileError(_unopenable(path.name, reason)) from None
    except Exception as exc:  # openpyxl raises its own errors for broken parts of a workbook
        raise InputFileError(_unopenable(path.name, type(exc).__name__)) from None


def _check_container(name: str, raw: bytes) -> None:
    """Refuse a workbook whose parts would expand far beyond its size (a 'zip bomb'), from the
    sizes its zip directory declares (Python's zipfile never inflates a part beyond its
    declared size: a part that lies about it fails its checksum instead), and one whose XML
    declares entities (expanding ones, or ones naming files), which Excel never writes."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            items = archive.infolist()
            expanded = sum(item.file_size for item in items)
            declared = [
                item.filename
                for item in items
                if expanded <= MAX_EXPANDED_BYTES and item.filename.endswith((".xml", ".rels"))
                for start in [archive.open(item).read(4096)]  # the prolog is at the start
                if b"<!DOCTYPE" in start or b"<!ENTITY" in start
            ]
    except Exception:  # damaged, or compressed or encrypted as zipfile cannot read
        return  # openpyxl says what is wrong with it
    if declared:
        raise InputFileError(
            _(
                "{name}: the workbook's part {part} declares XML entities, which Excel never "
                "writes and which can make a file expand without end or read other files: it "
                "was not opened; save the sheet again from Excel as .xlsx, or as CSV"
            ).format(name=name, part=declared[0])
        )
    if expanded > MAX_EXPANDED_BYTES or (
        expanded > EXPANSION_FLOOR and expanded > MAX_EXPANSION * len(raw)
    ):
        megabyte = 1024 * 1024
        raise InputFileError(
            _(
                "{name}: the workbook would expand from {packed} MB to {size} MB when opened, "
                "far more than a spreadsheet does (a 'zip bomb'), so it was not opened: save "
                "the sheet again from Excel as .xlsx, or as CSV"
            ).format(
                name=name,
                packed=i18n.integer(max(1, round(len(raw) / megabyte))),
                size=i18n.integer(round(expanded / megabyte)),
            )
        )


def _unopenable(name: str, reason: str) -> str:
    return _(
        "{name}: cannot be opened as an Excel workbook ({reason}): "
        "save it again from Excel as .xlsx, or as CSV"
    ).format(name=name, reason=reason)


def _load_excel(path: Path, raw: bytes, sheet: str | None, max_rows: int | None) -> TableFile:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(raw)).namelist())
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError):
        raise InputFileError(
            _("{name}: cannot be opened as an Excel workbook (damaged zip container)").format(
                name=path.name
            )
        ) from None
    if "xl/workbook.xml" not in names:
        what = _("a Word document") if "word/document.xml" in names else _("a zip archive")
        if "content.xml" in names:
            what = _("an OpenDocument file")
        raise InputFileError(
            _(
                "{name}: not an Excel workbook, the file is {kind}: save the table as .xlsx or CSV"
            ).format(name=path.name, kind=what)
        )
    workbook = _open_workbook(path, raw)
    try:
        sheets = list(workbook.sheetnames)
        if not sheets:
            raise InputFileError(_("{name}: the workbook has no sheets").format(name=path.name))
        chosen = sheets[0] if sheet is None else sheet
        if chosen not in sheets:
            raise InputFileError(
                _("{name}: no sheet named {sheet}; sheets: {sheets}").format(
                    name=path.name, sheet=repr(sheet), sheets=", ".join(sheets)
                )
            )
        worksheet = workbook[chosen]
        if hasattr(worksheet, "reset_dimensions"):
            worksheet.reset_dimensions()  # some writers store a wrong used range
        try:
            cells = itertools.islice(worksheet.iter_rows(values_only=True), max_rows)
            rows = [[_cell_text(v) for v in row] for row in cells]
        except Exception as exc:  # a damaged sheet part
            raise InputFileError(
                _(
                    "{name}: sheet {sheet} cannot be read ({reason}): "
                    "save it again from Excel as .xlsx, or as CSV"
                ).format(name=path.name, sheet=repr(chosen), reason=type(exc).__name__)
            ) from None
    finally:
        workbook.close()
    where = path.name
    if len(sheets) > 1:
        where = _("{name}, sheet {sheet}").format(name=path.name, sheet=repr(chosen))
    table = _table_from_rows(rows, path.name, where, sheet=chosen, encoding=None, delimiter=None)
    notes = []
    if "xl/vbaProject.bin" in names:
        notes.append(
            Note(
                None,
                None,
                None,
                _(
                    "the workbook contains macros: they were not run, only the cells' values were read"
                ),
            )
        )
    if sheet is None and len(sheets) > 1:
        notes.append(
            Note(
                None,
                None,
                None,
                _(
                    "the workbook has {n} sheets: only the first, {sheet}, was read; the others "
                    "were ignored"
                ).format(n=len(sheets), sheet=repr(chosen)),
            )
        )
    return dataclasses.replace(table, notes=table.notes + tuple(notes)) if notes else table


def _cell_text(value: object) -> str | None:
    """An Excel cell value as the text a user sees (no float noise on whole numbers)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


# ---------------------------------------------------------------------------------------------
# CSV / TXT


def _binary_kind(raw: bytes) -> str | None:
    """What a binary file is ('a PNG image', ...: translated), or None if it may be text."""
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            return _(kind)
    if raw.startswith(_ZIP):
        return _("a zip archive")
    if raw.startswith(_OLE2):
        return _("an old-format Office file")
    if raw.startswith(_UTF32_BOMS + _UTF16_BOMS) or _utf16_without_bom(raw):
        return None
    sample = raw[:65536]
    if sample.count(b"\x00") > 16:  # a few stray ones in text: _decode names their line
        return _("binary data, not text")
    controls = sum(1 for b in sample if b < 32 and b not in (0, 9, 10, 12, 13))
    if controls > max(2, len(sample) // 100):
        return _("binary data, not text")
    return None


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' if the bytes look like BOM-less UTF-16 text (ASCII-heavy)."""
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _decode(name: str, raw: bytes, start_only: bool = False) -> tuple[str, str, bool]:
    """The text of `raw`, the encoding used, and whether the text is all of `raw`.

    With `start_only`, a big UTF-8 file is checked as a whole but only its first HEAD_BYTES are
    decoded (the text then ends there, perhaps mid-record): the rest goes to pyarrow as bytes.
    """
    if raw.startswith(_UTF32_BOMS):
        candidates = ["utf-32"]
    elif raw.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif raw.startswith(_UTF16_BOMS):
        candidates = ["utf-16"]
    elif (utf16 := _utf16_without_bom(raw)) is not None:
        candidates = [utf16]
    else:
        candidates = ["utf-8", "cp1252", "latin-1"]
    for encoding in candidates:
        if start_only and encoding in _UTF8 and len(raw) > HEAD_BYTES:
            if not _valid_utf8(raw):
                _refuse_mixed_encodings(name, raw)
                continue
            if b"\x00" in raw:  # in UTF-8, only the character NUL has a zero byte
                raise _nul_byte(name, _line_at(raw, raw.find(b"\x00")))
            text = codecs.getincrementaldecoder("utf-8")().decode(raw[:HEAD_BYTES])
            return text.removeprefix("\ufeff").removeprefix("\ufeff"), encoding, False
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            if encoding == "utf-8":
                _refuse_mixed_encodings(name, raw)
            continue
        text = text.removeprefix("\ufeff")
        if "\x00" in text:
            raise _nul_byte(name, _line_at(text, text.find("\x00")))
        if encoding == "latin-1" and _mostly_controls(raw):
            break  # C1 control codes throughout: not Latin-1 text either
        return text, encoding, True
    raise InputFileError(
        _("{name}: the text encoding could not be recognised: save it as CSV UTF-8").format(
            name=name
        )
    )


def _nul_byte(name: str, line: int) -> InputFileError:
    return InputFileError(
        _(
            "{name}: line {line} holds a NUL (zero) byte, which no text table holds: the file is "
            "damaged or not a CSV file; remove that byte, or save the file again as CSV UTF-8"
        ).format(name=name, line=line)
    )


def _refuse_mixed_encodings(name: str, raw: bytes) -> None:
    """Refuse a file that is UTF-8 but for some bytes (files saved differently and pasted
    together): read as Windows-1252, all its UTF-8 letters would turn into pairs of symbols."""
    try:
        raw.decode("utf-8")
        return
    except UnicodeDecodeError as exc:
        first, bad_bytes = exc.start, raw[exc.start : exc.end]
    # UTF-8 letters before the first bad byte (all of raw[:first] is UTF-8), and in the next MB
    before = len(raw[:first].translate(None, bytes(range(128)))) // 2  # 2+ bytes each
    sample = raw[first : first + HEAD_BYTES].decode("utf-8", errors="replace")
    bad = sample.count("\ufffd")
    good = before + len(sample) - len(sample.encode("ascii", errors="ignore")) - bad
    if good < 2 or good < bad:
        return  # a file in another encoding, whose few UTF-8-looking pairs are chance
    line = _line_at(raw, first)
    raise InputFileError(
        _(
            "{name}: line {line} is not UTF-8 like the rest of the file (it holds the byte "
            "{byte}): the file mixes text encodings, as when files saved differently are pasted "
            "together; save it again as CSV UTF-8"
        ).format(name=name, line=line, byte=" ".join(f"0x{b:02X}" for b in bad_bytes))
    )


def _mostly_controls(raw: bytes) -> bool:
    """More than 1% of bytes are 0x80-0x9F, which Latin-1 reads as invisible control codes:
    the file is in some other encoding (EBCDIC, a DOS or Mac code page...)."""
    data = np.frombuffer(raw, dtype=np.uint8)
    return int(np.count_nonzero((data >= 0x80) & (data < 0xA0))) > max(2, len(raw) // 100)


def _valid_utf8(raw: bytes) -> bool:
    """Would raw.decode('utf-8') succeed? Checked by arrow, without making a str of it all."""
    offsets = pa.py_buffer(np.array([0, len(raw)], dtype=np.int64))
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(raw)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _utf8_from(position: int, text: str, raw: bytes, encoding: str) -> pa.Buffer:
    """text[position:] as UTF-8, where text is `raw` decoded (perhaps only its start): a slice
    of raw itself when raw is UTF-8."""
    if encoding not in _UTF8:
        return pa.py_buffer(text[position:].encode("utf-8"))
    skipped = 0  # byte-order marks before the text (the codec drops one, _decode another)
    while skipped < 6 and raw.startswith(codecs.BOM_UTF8, skipped):
        skipped += len(codecs.BOM_UTF8)
    return pa.py_buffer(raw).slice(skipped + len(text[:position].encode("utf-8")))


def _field_counts(lines: list[str], delimiter: str) -> list[int]:
    return [len(fields) for fields in csv.reader(lines, delimiter=delimiter)]


def _consistency(lines: list[str], delimiter: str) -> tuple[int, float]:
    """(most common field count, share of lines having it), ignoring the first line (a title)."""
    body = [line for line in lines[1:] if line.strip()] or lines
    counts = Counter(_field_counts(body, delimiter))
    if not counts:
        return 1, 0.0
    fields, seen = counts.most_common(1)[0]
    return fields, seen / sum(counts.values())


def _detect_delimiter(text: str) -> str:
    """',', ';' or tab: csv.Sniffer's answer if it splits the lines consistently, else the
    delimiter giving the most columns on most lines; ',' for a one-column file."""
    sample = text[:20000]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    lines = sample.splitlines()[:60]
    scores = {d: _consistency(lines, d) for d in DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    if sniffed in scores and scores[sniffed][0] > 1 and scores[sniffed][1] >= 0.8:
        return sniffed
    usable = [d for d in DELIMITERS if scores[d][0] > 1 and scores[d][1] >= 0.8]
    if usable:
        return max(usable, key=lambda d: scores[d])
    multi = [d for d in DELIMITERS if scores[d][0] > 1]
    return max(multi, key=lambda d: scores[d]) if multi else ","


def _load_text(name: str, raw: bytes, max_rows: int | None) -> TableFile:
    table = _read_text(name, raw, max_rows)
    # arrow's allocator keeps what the parse used and let go (hundreds of MB for a big file)
    # for arrow's next use: given back now, as pandas, numpy and DuckDB cannot use it
    pa.default_memory_pool().release_unused()
    notes = _control_notes(table, raw) + _garbled_notes(table, raw)
    return dataclasses.replace(table, notes=table.notes + notes) if notes else table


def _read_text(name: str, raw: bytes, max_rows: int | None) -> TableFile:
    text, encoding, whole = _decode(name, raw, start_only=True)
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    # Excel's 'sep=;' hint line (the delimiter may be a tab: not stripped as a space)
    directive = re.fullmatch(r" *sep=([^\r\n ]?) *\r?", first_line, re.IGNORECASE)
    skipped = 0  # characters before the first record
    if directive:
        delimiter = directive[1] or ","
        skipped = len(first_line) + 1  # Excel hides this line: it is not a row the user sees
    else:
        delimiter = _detect_delimiter(text)
    limit = HEAD_RECORDS if max_rows is None else min(max_rows, HEAD_RECORDS)
    # The first records, from (at most) the first HEAD_BYTES characters.
    start = parsed = text[:HEAD_BYTES]
    try:
        found = _records(start, skipped, delimiter, limit, whole and len(start) == len(text))
        if found is not None:
            head, position = found
            if len(head) < limit or len(head) == max_rows:  # every record wanted
                _check_quotes_closed(name, start, skipped, delimiter, head)
                return _table_from_rows(
                    head, name, name, sheet=None, encoding=encoding, delimiter=delimiter
                )
            tail = None
            if _enough_to_find_header(head):
                tail = _arrow_records(_utf8_from(position, text, raw, encoding), delimiter)
            if tail is not None:
                if max_rows is not None:
                    tail = tail.slice(0, max_rows - len(head))
                return _table_from_rows(
                    head, name, name, sheet=None, encoding=encoding, delimiter=delimiter, tail=tail
                )
        # Small, irregular or without a header near the top: the csv module reads it all.
        if not whole:
            text = _decode(name, raw)[0]
        parsed = text
        rows = _records(text, skipped, delimiter, max_rows, True)[0]  # type: ignore[index]
    except csv.Error as exc:
        raise _unreadable_record(name, parsed, skipped, delimiter, exc) from None
    _check_quotes_closed(name, text, skipped, delimiter, rows)
    return _table_from_rows(rows, name, name, sheet=None, encoding=encoding, delimiter=delimiter)


def _cells_matching(
    table: TableFile, pattern: re.Pattern[str], first_only: bool = False
) -> list[tuple[int, str, str]]:
    """(row, column, text) of the cells matching `pattern`, by row (only the first if
    `first_only`)."""
    found: list[tuple[int, str, str]] = []
    frame = table.frame
    for column in frame.columns:
        hits = frame[column].str.contains(pattern.pattern, regex=True, na=False)
        for position in np.flatnonzero(hits.to_numpy(dtype=bool)).tolist():
            found.append(
                (table.row_number(position), str(column), str(frame[column].iat[position]))
            )
            if first_only:
                break
    found.sort(key=lambda hit: hit[0])
    return found[:1] if first_only else found


def _control_notes(table: TableFile, raw: bytes) -> tuple[Note, ...]:
    """An error on each cell holding a control character (see _CONTROLS)."""
    single_byte = table.encoding in (*_UTF8, "cp1252", "latin-1")  # a byte below 32 each
    # A big table: its bytes say at once whether any cell can hold one (a few rows read from
    # a big file: their cells are looked at, not the whole file's bytes).
    few = len(table.frame) <= HEAD_RECORDS
    if single_byte and not few and not raw.translate(None, _NOT_CONTROL):
        return ()
    message = _(
        "the cell holds an invisible control character ({code}), which no spreadsheet cell may "
        "hold: delete it"
    )
    return tuple(
        Note(
            row,
            column,
            text,
            message.format(code=f"U+{ord(_CONTROLS.search(text)[0]):04X}"),  # type: ignore[index]
            error=True,
        )
        for row, column, text in _cells_matching(table, _CONTROLS)
    )


@functools.cache
def _not_garbling(encoding: str) -> bytes:
    """The bytes that `encoding` reads as anything but a _GARBLING symbol."""
    garbling = re.compile(_GARBLING)
    return bytes(
        b for b in range(256) if not garbling.fullmatch(bytes([b]).decode(encoding, "replace"))
    )


def _garbled_notes(table: TableFile, raw: bytes) -> tuple[Note, ...]:
    """A warning on the first cell that looks garbled, in a file read as Windows-1252 or
    Latin-1 (see _GARBLED): the encoding was a guess."""
    if table.encoding not in ("cp1252", "latin-1"):
        return ()
    if not raw.translate(None, _not_garbling(table.encoding)) or not _GARBLED.search(
        raw.decode(table.encoding)
    ):
        return ()  # (most files have none of the bytes that read as such symbols: not decoded)
    encoding = "Windows-1252" if table.encoding == "cp1252" else "Latin-1"
    return tuple(
        Note(
            row,
            column,
            text,
            _(
                "the file is not UTF-8 and was read as {encoding}, but this text looks garbled "
                "(symbols inside words), as when a file saved in another encoding such as Mac "
                "Roman is read: if letters are wrong, save the file as CSV UTF-8"
            ).format(encoding=encoding),
        )
        for row, column, text in _cells_matching(table, _GARBLED, first_only=True)
    )


# Parts of a CSV field as the csv module reads it: a quoted part (closed if the last group holds
# the closing quote; "" is a quote inside), then anything up to the next delimiter or line end.
_QUOTED = re.compile(r'"[^"]*(?:""[^"]*)*("?)')


def _fields(text: str, start: int, delimiter: str) -> list[tuple[int, int, bool]]:
    """(begin, end, closed) of each field of the record that starts at text[start], as the csv
    module splits it; `closed` is False for a field whose opening quote is never closed (the
    last one then: it runs to the end of the text)."""
    rest = re.compile(f"[^{re.escape(delimiter)}\r\n]*")
    fields: list[tuple[int, int, bool]] = []
    position = start
    while True:
        begin = position
        if text.startswith('"', position):
            quoted = _QUOTED.match(text, position)
            assert quoted is not None  # the pattern matches any text starting with a quote
            position = quoted.end()
            if not quoted.group(1):
                fields.append((begin, position, False))
                return fields
        position = rest.match(text, position).end()  # type: ignore[union-attr]
        fields.append((begin, position, True))
        if not text.startswith(delimiter, position):
            return fields
        position += len(delimiter)


def _record_starts(text: str, skipped: int, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(position, record) of each record the csv module reads, until it fails."""
    stream = io.StringIO(text, newline="")
    stream.seek(skipped)
    reader = csv.reader(stream, delimiter=delimiter)
    position = skipped
    with contextlib.suppress(csv.Error):
        for record in reader:
            yield position, record
            position = stream.tell()
    yield position, []  # where the csv module stopped


def _line_at(text: str | bytes, position: int) -> int:
    """The line (1-based; CR, LF or CRLF ends a line) of text[position] (text or bytes)."""
    head = text[:position]
    if isinstance(head, bytes):
        return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1
    return head.count("\n") + head.count("\r") - head.count("\r\n") + 1


def _column_label(records: list[list[str]], column: int) -> str:
    """'7 (location)': a column's number and its name in the first record with two or more
    filled cells above (the header, most likely); the number alone without one."""
    for record in records:
        if sum(1 for cell in record if cell.strip()) >= 2:
            names = _header_names([_clean(cell) for cell in record])
            if column <= len(names):
                return f"{column} ({names[column - 1]})"
            break
    return str(column)


def _unclosed_quote(
    name: str, text: str, records: list[list[str]], fields: list[tuple[int, int, bool]]
) -> InputFileError:
    column = len(fields)
    return InputFileError(
        _(
            "{name}: row {row}, column {column}: the quote opened on line {line} is never closed, "
            "so the rest of the file would be read as one cell: close the quote, or remove it"
        ).format(
            name=name,
            row=len(records) + 1,
            column=_column_label(records, column),
            line=_line_at(text, fields[-1][0]),
        )
    )


def _unreadable_record(
    name: str, text: str, skipped: int, delimiter: str, error: csv.Error
) -> InputFileError:
    """What the csv module could not read in `text`, located: a field over its size limit (or
    a quote left open before one), by row, column and line."""
    *read, (start, __) = _record_starts(text, skipped, delimiter)  # the last: where it failed
    records = [record for __, record in read]
    fields = _fields(text, start, delimiter)
    if not fields[-1][2]:
        return _unclosed_quote(name, text, records, fields)
    limit = csv.field_size_limit()
    for column, (begin, end, __) in enumerate(fields, start=1):
        if end - begin > limit:
            return InputFileError(
                _(
                    "{name}: row {row}, column {column}: a cell is too long ({reason}): a cell "
                    "may hold up to {limit} characters; shorten it"
                ).format(
                    name=name,
                    row=len(records) + 1,
                    column=_column_label(records, column),
                    reason=error,
                    limit=i18n.integer(limit),
                )
            )
    return InputFileError(
        _("{name}: row {row}: not a readable CSV file ({reason})").format(
            name=name, row=len(records) + 1, reason=error
        )
    )


def _check_quotes_closed(
    name: str, text: str, skipped: int, delimiter: str, rows: list[list[str]]
) -> None:
    """Refuse text whose last record read has a quote never closed: the csv module reads all
    that follows into that cell, other records included. (Only a record with a line break in a
    cell can be one: others are not looked at.)"""
    if not rows or not any("\n" in cell or "\r" in cell for cell in rows[-1]):
        return
    records: list[list[str]] = []
    for start, record in _record_starts(text, skipped, delimiter):
        if len(records) == len(rows) - 1:
            fields = _fields(text, start, delimiter)
            if not fields[-1][2]:
                raise _unclosed_quote(name, text, records, fields)
            return
        records.append(record)


def _records(
    text: str, skipped: int, delimiter: str, limit: int | None, whole: bool
) -> tuple[list[list[str]], int] | None:
    """Up to `limit` records of text[skipped:] (csv module) and the position after them; None
    when `text` is only the start of the file and ends before the last of them does."""
    stream = io.StringIO(text, newline="")
    stream.seek(skipped)
    rows = list(itertools.islice(csv.reader(stream, delimiter=delimiter), limit))
    position = stream.tell()
    if not whole and (len(rows) != limit or position >= len(text)):
        return None
    return rows, position


def _enough_to_find_header(head: list[list[str]]) -> bool:
    """Do these first records decide the header as the whole file would? The title-row rule
    looks at most MAX_TITLE_ROWS + 4 filled rows down."""
    filled = sum(1 for record in head if any(cell.strip() for cell in record))
    return filled > MAX_TITLE_ROWS + 4


def _arrow_records(data: pa.Buffer, delimiter: str) -> pa.Table | None:
    """The records in `data` (UTF-8) as columns of strings (f0, f1, ...), read by pyarrow (many
    times faster than the csv module on a big file), or None when pyarrow would not read them
    as the csv module does: rows of unequal length, a field over the csv module's size limit,
    or anything else pyarrow refuses. Blank lines come back as rows of empty strings."""
    if not data.size:
        return None
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(data),
            # blocks of 4 MB: fewer, faster than the 1 MB default (a longer record: csv module)
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True, block_size=1 << 22),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=_ALL_TEXT, strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if any(column.type != _TEXT for column in table.columns):
        return None  # wider than _ALL_TEXT: the extra columns were typed
    last = table.slice(table.num_rows - 1)
    if any(pc.any(pc.match_substring_regex(c, "[\r\n]")).as_py() for c in last.columns):
        return None  # perhaps a quote never closed (pyarrow reads it to the end): csv module
    # bytes bound characters: only a column with a long cell has its characters counted
    longest = max(pc.max(pc.binary_length(c)).as_py() or 0 for c in table.columns)
    if longest > csv.field_size_limit() and any(
        pc.max(pc.utf8_length(c)).as_py() > csv.field_size_limit() for c in table.columns
    ):
        return None  # the csv module refuses such a field: it gives the error
    return table


# ---------------------------------------------------------------------------------------------
# Shared: rows of cells -> header + frame


def _clean(cell: str | None) -> str | None:
    if cell is None:
        return None
    cell = cell.strip(_EDGES)
    return cell or None


def _filled(row: list[str | None]) -> int:
    return sum(1 for cell in row if cell is not None)


def _last_filled(row: list[str | None]) -> int:
    """Index of the last filled cell of a row (-1 if none)."""
    for j in range(len(row) - 1, -1, -1):
        if row[j] is not None:
            return j
    return -1


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.replace(" ", "")))


def _header_names(cells: list[str | None]) -> list[str]:
    """Header cells cleaned (whitespace, BOM, zero-width characters); blanks named column_<n>;
    repeated names made unique with a _2, _3 ... suffix."""
    names: list[str] = []
    seen: Counter[str] = Counter()
    for position, cell in enumerate(cells, start=1):
        label = " ".join((cell or "").split())
        label = label or f"column_{position}"
        seen[label] += 1
        names.append(label if seen[label] == 1 else f"{label}_{seen[label]}")
    return names


def _table_from_rows(
    rows: list[list[Any]],
    name: str,
    where: str,
    *,
    sheet: str | None,
    encoding: str | None,
    delimiter: str | None,
    tail: pa.Table | None = None,
) -> TableFile:
    """Find the header (after empty and title rows) and build the all-text frame below it.

    `tail` holds the records after `rows` as arrow columns (a big CSV file: see _load_text);
    `rows` then holds enough records to find the header in.
    """
    cleaned = [[_clean(c) for c in row] for row in rows]
    tail_columns = _clean_columns(tail) if tail is not None else []
    if not tail_columns:
        while cleaned and _filled(cleaned[-1]) == 0:
            cleaned.pop()
    if not cleaned:
        raise InputFileError(
            _("{where}: the file is empty (no rows with values)").format(where=where)
        )
    nonempty = [i for i, row in enumerate(cleaned) if _filled(row) > 0]
    if len(nonempty) == 1 and _filled(cleaned[nonempty[0]]) == 1 and not tail_columns:
        raise InputFileError(
            _("{where}: no header row: the file holds a single line of text, not a table").format(
                where=where
            )
        )
    # Title rows: one filled cell (or far fewer than the rows just below) above the header.
    title_parts: list[str] = []
    k = 0
    while k < min(MAX_TITLE_ROWS, len(nonempty) - 1):
        this = _filled(cleaned[nonempty[k]])
        below = max(_filled(cleaned[i]) for i in nonempty[k + 1 : k + 4])
        if not ((this == 1 and below >= 2) or (below >= 3 and 2 * this <= below)):
            break
        title_parts.append(" ".join(c for c in cleaned[nonempty[k]] if c))
        k += 1
    header_index = nonempty[k]
    header_cells = cleaned[header_index]
    title = " / ".join(title_parts) or None
    filled_header = [c for c in header_cells if c]
    if all(_is_number(c) for c in filled_header) and len(nonempty) > 1:
        raise InputFileError(
            _(
                "{where}: no header row: row {row} holds values ({values}), not column names: "
                "add a row of column names"
            ).format(where=where, row=header_index + 1, values=", ".join(filled_header[:4]))
        )
    body = cleaned[header_index + 1 :]
    notes: tuple[Note, ...] = ()
    if delimiter is not None:
        notes = _split_notes(rows, cleaned, header_index, tail_columns, delimiter)
    # width: up to the last column with a header or any value (empty trailing columns dropped)
    filled_tail = [j for j, column in enumerate(tail_columns) if column.null_count < len(column)]
    last = max([_last_filled(header_cells), *(_last_filled(r) for r in body), *filled_tail]) + 1
    padded_header = (header_cells + [None] * last)[:last]
    columns = _header_names(padded_header)
    data = [(r + [None] * last)[:last] for r in body]
    if tail_columns:
        blank = pa.chunked_array([pa.nulls(len(tail_columns[0]), _TEXT)])
        tail_columns = (tail_columns + [blank] * last)[:last]
        frame = pa.table(
            [
                pa.chunked_array(
                    [pa.array([r[j] for r in data], _TEXT), *tail_columns[j].chunks],
                    _TEXT,
                )
                for j in range(last)
            ],
            names=[f"f{j}" for j in range(last)],
        ).to_pandas()
        frame.columns = columns
    elif data:
        frame = pd.DataFrame(data, columns=columns, dtype="str")
    else:
        frame = _empty(columns)
    header_row = header_index + 1
    return TableFile(
        frame=frame,
        file_name=name,
        first_data_row=header_row + 1,
        header_row=header_row,
        title=title,
        sheet=sheet,
        encoding=encoding,
        delimiter=delimiter,
        notes=notes,
    )


def _split_notes(
    rows: list[list[Any]],
    cleaned: list[list[str | None]],
    header_index: int,
    tail_columns: list[pa.ChunkedArray],
    delimiter: str,
) -> tuple[Note, ...]:
    """Errors on the rows of a text file not split like its header: more filled cells than
    the header has (a value holding the delimiter without quotes, which shifts the cells after
    it), fewer cells (one left out: those after it may be shifted), or one cell holding another
    delimiter (a file mixing delimiters)."""
    width = _last_filled(cleaned[header_index]) + 1
    header_row = header_index + 1
    too_many = _(
        "the row has {cells} cells but the header has {columns} columns: a value holds the "
        "delimiter {delimiter} without quotes (such as a decimal comma in a comma-separated "
        "file), which shifts the cells after it; put such values in quotes, or save the file "
        "again from the spreadsheet"
    )
    too_few = _(
        "the row has {cells} cells but the header has {columns} columns: a delimiter "
        "{delimiter} is missing, so the cells after it may not be in their columns; add the "
        "missing cells, or save the file again from the spreadsheet"
    )
    notes: list[Note] = []
    for i, (record, cells) in enumerate(
        zip(rows[header_index + 1 :], cleaned[header_index + 1 :], strict=False)  # (blank end)
    ):
        row = header_row + 1 + i
        if len(record) > width and (extent := _last_filled(cells) + 1) > width:
            message = too_many.format(cells=extent, columns=width, delimiter=repr(delimiter))
            notes.append(Note(row, None, None, message, error=True))
        elif 1 < len(record) < width:  # a cell missing: which one cannot be told
            message = too_few.format(cells=len(record), columns=width, delimiter=repr(delimiter))
            notes.append(Note(row, None, None, message, error=True))
        elif width >= 3 and _filled(cells) == 1 and cells[0] is not None:
            for other in DELIMITERS:
                if other != delimiter and cells[0].count(other) + 1 >= max(3, (width + 1) // 2):
                    message = _(
                        "the row is not split into columns: it is separated by {found} where "
                        "the rest of the file uses {delimiter}; save the file again with one "
                        "delimiter"
                    ).format(found=repr(other), delimiter=repr(delimiter))
                    notes.append(Note(row, None, None, message, error=True))
                    break
    # the records pyarrow read (all as wide as the first of them): every row with a filled cell
    # past the header's width, with its number of cells (up to its last filled one)
    extents = np.zeros(len(tail_columns[0]) if tail_columns else 0, dtype=np.int64)
    for j in range(width, len(tail_columns)):
        if tail_columns[j].null_count < len(tail_columns[j]):
            extents[tail_columns[j].is_valid().to_numpy(zero_copy_only=False)] = j + 1
    start = header_row + len(rows) - header_index  # file row of the first of those records
    for position in np.flatnonzero(extents).tolist():
        message = too_many.format(
            cells=int(extents[position]), columns=width, delimiter=repr(delimiter)
        )
        notes.append(Note(start + position, None, None, message, error=True))
    return tuple(notes)


def _clean_columns(table: pa.Table) -> list[pa.ChunkedArray]:
    """The columns of `table` cleaned as _clean cleans a cell, without the empty rows at its
    end; [] if every row is empty."""
    columns = []
    for column in table.columns:
        stripped = pc.utf8_trim(column, characters=_EDGES)
        lengths = pc.binary_length(stripped)
        if pc.min(lengths).as_py():
            # no empty cell; nothing trimmed: the column itself (a copy of a big file's column
            # is hundreds of MB)
            same = pc.all(pc.equal(pc.binary_length(column), lengths)).as_py()
            columns.append(column if same else stripped)
        else:
            columns.append(pc.if_else(pc.not_equal(lengths, 0), stripped, None))
    if not any(c.null_count for c in columns):
        return columns  # every cell filled
    positions = pc.indices_nonzero(functools.reduce(pc.or_, [c.is_valid() for c in columns]))
    if len(positions) == 0:
        return []
    end = positions[-1].as_py() + 1
    return [c.slice(0, end) for c in columns]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="str") for c in columns})
