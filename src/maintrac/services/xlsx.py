"""A streaming xlsx writer: one sheet, written row by row into a zip, in constant memory.

An .xlsx file is a zip of a few small XML parts (content types, relationships, the
workbook, the styles) and one sheet part, which is the only large one. The sheet is
written through ``zipfile``'s streaming writer (``ZipFile.open(name, "w")``, deflated,
ZIP64 forced because its size is not known in advance), a few hundred rows per write; the
small parts are written around it. Nothing is held but the current batch of rows.

What the cells hold:

* text as inline strings (``t="inlineStr"``): never a formula, whatever it starts with.
  A title ``=HYPERLINK(...)``, ``+1``, ``-1`` or ``@SUM(...)`` is shown as that text,
  exactly as the CSV writes it. XML-escaped; the characters XML 1.0 cannot carry
  (C0 controls other than tab, line feed and carriage return; U+FFFE, U+FFFF; surrogates)
  are removed, since no spreadsheet shows them; a carriage return is kept (``&#13;``);
  a cell is cut at Excel's 32,767 characters;
* integers and decimals as numbers (``Decimal`` written with all its digits; a reader
  holds it as a double, 15 significant digits in Excel); a NaN or infinite decimal as
  text (a spreadsheet has no such number);
* date-times as serial numbers (days since 1899-12-30, Excel's 1900 date system) with a
  ``yyyy-mm-dd hh:mm:ss`` number format, so they are dates to the reader; naive values
  are taken as UTC (the report queries give UTC), aware ones converted to UTC;
* ``None`` as an empty cell; booleans as booleans.

The header row is bold and frozen, with an autofilter over the data and column widths
from the header (cheap: all known before the first row).
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from operator import call
from typing import IO, Any, Final
from xml.sax.saxutils import escape, quoteattr

#: Excel's limit on the characters of one cell.
MAX_CELL_CHARS: Final = 32_767
#: Rows handed to the zip writer (and so to zlib) at once.
_BATCH: Final = 512
_EPOCH: Final = datetime(1899, 12, 30)  # noqa: DTZ001  # a serial has no time zone
_DAY: Final = timedelta(days=1)
# Characters XML 1.0 cannot carry (\t, \n and \r it can), and the surrogates a Python
# string may hold although PostgreSQL's UTF-8 never produces them.
_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_C0_BYTES: Final = bytes(b for b in range(32) if b not in {9, 10, 13})
#: cellXfs indexes in styles.xml
_STYLE_DATETIME: Final = 1
_STYLE_HEADER: Final = 2

_NS: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML: Final = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def column_letter(index: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def clean_text(value: str) -> str:
    """``value`` as the text of a cell: without the characters XML cannot carry, and at
    most 32,767 characters."""
    return _ILLEGAL.sub("", value)[:MAX_CELL_CHARS]


def _text(value: str) -> str:
    # The characters XML cannot carry and carriage returns are dealt with once per batch
    # of rows (``_finish``), on the bytes: no tag or number holds any of them, so only text
    # changes, and a byte-level pass is far cheaper than a look at every cell.
    if len(value) > MAX_CELL_CHARS:
        value = clean_text(value)
    if "&" in value or "<" in value or ">" in value:
        value = escape(value)
    if value != value.strip():
        return f'<c t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
    return f'<c t="inlineStr"><is><t>{value}</t></is></c>'


def _finish(xml: str) -> bytes:
    """A batch of rows as UTF-8, without the characters XML cannot carry and with
    carriage returns as references (a parser would turn a literal one into a line feed).

    In UTF-8 the C0 controls are exactly the bytes 0x00-0x1F (never part of a longer
    sequence), so deleting those bytes deletes those characters; lone surrogates are
    dropped by the encoder; U+FFFE and U+FFFF are three known bytes each."""
    data = xml.encode("utf-8", "ignore").translate(None, _C0_BYTES)
    if b"\r" in data:
        data = data.replace(b"\r", b"&#13;")
    if b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data:
        data = data.replace(b"\xef\xbf\xbe", b"").replace(b"\xef\xbf\xbf", b"")
    return data


def serial(moment: datetime) -> float:
    """A date-time as an Excel serial number (1900 date system, with its fictitious
    1900-02-29: serials before 1900-03-01 are one less, as Excel and openpyxl count)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    days = (moment - _EPOCH) / _DAY
    if 1 <= days < 61:  # 1899-12-31 .. 1900-02-28
        days -= 1
    return days


def _serial_cell(value: str) -> str:
    return f'<c s="{_STYLE_DATETIME}"><v>{value}</v></c>'


def _number_cell(value: str) -> str:
    return f"<c><v>{value}</v></c>"


def text_cell(value: Any) -> str:
    """A text column's cell."""
    if type(value) is str:
        return _text(value)
    return "<c/>" if value is None else _text(str(value))


def number_cell(value: Any) -> str:
    """A number column's cell: an int, float or Decimal, or a number's digits as text
    (what PostgreSQL prints for ``numeric``: written as they are, so no digit is lost on
    the way); a NaN or infinity becomes text."""
    kind = type(value)
    if kind is int:
        return f"<c><v>{value}</v></c>"
    if value is None:
        return "<c/>"
    if kind is str:
        return _number_cell(value) if value[-1:].isdigit() else _text(value)
    return _other_number(value)


def _other_number(value: Any) -> str:
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, float):
        return _number_cell(repr(value)) if math.isfinite(value) else _text(str(value))
    if isinstance(value, Decimal):
        return _number_cell(str(value)) if value.is_finite() else _text(str(value))
    return _text(str(value))


def datetime_cell(value: Any) -> str:
    """A date-time column's cell: a ``datetime`` or ``date``, or its serial number
    already as text (``db.reports`` has PostgreSQL compute it)."""
    if value is None:
        return "<c/>"
    if type(value) is str:
        return _serial_cell(value) if value[-1:].isdigit() else _text(value)
    if isinstance(value, datetime):
        return _serial_cell(repr(serial(value)))
    if isinstance(value, date):
        days = (value - _EPOCH.date()).days
        return _serial_cell(str(days - 1 if 1 <= days < 61 else days))
    return _text(str(value))


class Cells(StrEnum):
    """What a column holds, hence how its cells are written."""

    TEXT = "text"
    NUMBER = "number"
    DATETIME = "datetime"


_WRITERS: Final[dict[Cells, Callable[[Any], str]]] = {
    Cells.TEXT: text_cell,
    Cells.NUMBER: number_cell,
    Cells.DATETIME: datetime_cell,
}


def _sheet_head(header: Sequence[str]) -> str:
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{max(12, min(60, len(name) + 4))}" customWidth="1"/>'
        for i, name in enumerate(header, start=1)
    )
    cells = "".join(
        f'<c s="{_STYLE_HEADER}" t="inlineStr"><is><t>{escape(clean_text(name))}</t></is></c>'
        for name in header
    )
    return (
        f'{_XML}<worksheet xmlns="{_NS}" xmlns:r="{_REL_NS}">'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{widths}</cols>"
        f'<sheetData><row r="1">{cells}</row>'
    )


_CONTENT_TYPES: Final = (
    f"{_XML}"
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS: Final = (
    f'{_XML}<Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    f'Type="{_REL_NS}/officeDocument"/>'
    '<Relationship Id="rId2" Target="docProps/core.xml" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties"/>'
    "</Relationships>"
)
_WORKBOOK_RELS: Final = (
    f'{_XML}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="{_REL_NS}/worksheet"/>'
    f'<Relationship Id="rId2" Target="styles.xml" Type="{_REL_NS}/styles"/>'
    "</Relationships>"
)
_STYLES: Final = (
    f'{_XML}<styleSheet xmlns="{_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="2">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    "</fonts>"
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _workbook(sheet_name: str, filter_ref: str) -> str:
    quoted = "'" + sheet_name.replace("'", "''") + "'"
    return (
        f'{_XML}<workbook xmlns="{_NS}" xmlns:r="{_REL_NS}">'
        "<bookViews><workbookView/></bookViews>"
        f'<sheets><sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/></sheets>'
        '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"{escape(quoted)}!{filter_ref}</definedName></definedNames>"
        "</workbook>"
    )


def _core(created: datetime) -> str:
    moment = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"{_XML}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:creator>MainTrac</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def write_sheet(
    file: IO[bytes],
    sheet_name: str,
    columns: Sequence[tuple[str, Cells]],
    rows: Iterable[Sequence[Any]],
    *,
    on_row: Callable[[int], None] | None = None,
    created: datetime | None = None,
    compresslevel: int = 1,
) -> int:
    """Write a one-sheet workbook to ``file`` (anything with ``write``; a seekable file
    gets plain local headers, an unseekable one data descriptors). ``on_row`` is called
    with the count after each data row (it may raise to stop). Returns the data rows.

    ``sheet_name``: at most 31 characters, none of ``[]:*?/\\`` (the caller's to keep).
    Deflate level 1 by default: the XML is repetitive, so level 1 is about 20 % larger
    than level 6 and several times faster (the sheet's compression is most of the cost).
    """
    header = [name for name, _ in columns]
    writers = [_WRITERS[cells] for _, cells in columns]
    last_column = column_letter(max(1, len(header)))
    count = 0
    with zipfile.ZipFile(
        file, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel
    ) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_finish(_sheet_head(header)))
            batch: list[str] = []
            number = 1
            for values in rows:
                number += 1
                cells = "".join(map(call, writers, values))
                batch.append(f'<row r="{number}">{cells}</row>')
                count += 1
                if on_row is not None:
                    on_row(count)
                if len(batch) >= _BATCH:
                    sheet.write(_finish("".join(batch)))
                    batch.clear()
            batch.append(f'</sheetData><autoFilter ref="A1:{last_column}{number}"/>')
            batch.append(
                '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
                'header="0.3" footer="0.3"/></worksheet>'
            )
            sheet.write(_finish("".join(batch)))
        filter_ref = f"$A$1:${last_column}${number}"
        archive.writestr("xl/workbook.xml", _workbook(sheet_name, filter_ref))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        archive.writestr("docProps/core.xml", _core(created or datetime.now(UTC)))
    return count
