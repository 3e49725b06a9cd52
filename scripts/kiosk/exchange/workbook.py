"""Spreadsheets in and out, by one policy. Opening one someone sent is the one door through which every
workbook comes in (kiosk import, the guide list, a township's monthly report): a workbook is an attack
surface, so one that could do anything but hold values is refused. Every workbook written (kiosk export, the
desk's record list, ledger and monthly report) keeps text as text (`row`, `as_text`): never read as a formula
(=, +, -, @ at the start: spreadsheet injection), no 010 turned into 10, and nothing added to the text."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from ..problems import message

MAX_UNPACKED = 50_000_000  # bytes a workbook may unpack to: a county's list is far smaller


def open_workbook(path: Path, problems: list[str], read_only: bool = True):
    """The workbook at `path`, or None with the reason in `problems`. A spreadsheet is an attack surface:
    one that unpacks to more than MAX_UNPACKED, carries macros or links to other files, or holds a
    formula in any cell is refused, naming the part or the cell. `read_only=False` for a reader that needs
    what a read-only sheet does not keep, such as `ws.merged_cells` (the guide list); the size limit holds
    either way."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError) as e:
        problems.append(message("xlsx_unreadable", file=path, detail=type(e).__name__))
        return None
    size = sum(p.file_size for p in parts)
    if size > MAX_UNPACKED:
        problems.append(message("xlsx_too_big", file=path, size=size // 1_000_000, limit=MAX_UNPACKED // 1_000_000))
    for p in parts:
        if p.filename.lower().endswith("vbaproject.bin"):
            problems.append(message("xlsx_macro", file=path, part=p.filename))
        elif p.filename.startswith("xl/externalLinks/"):
            problems.append(message("xlsx_external_link", file=path, part=p.filename))
    if problems:
        return None
    try:
        wb = load_workbook(path, read_only=read_only, data_only=False)
    except Exception as e:  # not a workbook at all: the user's file, not our bug
        problems.append(message("xlsx_unreadable", file=path, detail=type(e).__name__))
        return None
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    problems.append(f"{ws.title}!{cell.coordinate}: " + message("xlsx_formula"))
    return None if problems else wb


def as_text(cell) -> None:
    """A cell holding text keeps it as text, whatever it starts with."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        cell.number_format = "@"


def row(ws, values) -> list:
    """The cells of one row to append to `ws` (a write-only sheet too): text as text, dates and numbers as
    they are, None as an empty cell."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value="" if value is None else value)
        as_text(cell)
        cells.append(cell)
    return cells
