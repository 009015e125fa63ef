"""One home for how numbers, cells and colours look in every workbook the pipeline writes.

- Colours and the property dicts for xlsxwriter's add_format shared by the output
  workbooks (rekap, Quick Win profiles and evaluation), so every report reads as one product.
- Number formats as named constants; `[$-421]` is the Indonesian locale, which shows
  1500000 as 1.500.000 in Excel and LibreOffice.
- Column letters and A1 references, and Indonesian number text (1.500.000; 87,5).
"""

from __future__ import annotations

from typing import Any

# --- colours -------------------------------------------------------------------------------

ACCENT = "#1F4E79"  # the output workbooks' blue: titles, table headers, totals
# The plan templates and the validation report were drawn in a blue one digit apart.
# Unifying it would change the fills of files participants already hold (and the demo's
# outputs), so the two spellings stay, named.
ACCENT_INPUT = "#1F4E78"
GRID = "#BFBFBF"
TOTAL_FILL = "#DDEBF7"
# Excel's good / neutral / bad cell fills, for statuses.
GOOD_FILL = "#C6EFCE"
NEUTRAL_FILL = "#FFEB9C"
BAD_FILL = "#FFC7CE"
WARNING_TEXT = "#833C0B"  # dark orange: warnings, empty groups
EMPTY_FILL = "#FCE4D6"  # light orange: a group or table with nothing in it

# --- number formats ------------------------------------------------------------------------

MONEY = "[$-421]#,##0"  # whole Rupiah
MONEY_ZERO_DASH = '[$-421]#,##0;-#,##0;"-"'  # zero shows as "-", as in Indonesian budgets
MILLIONS = '[$-421]#,##0.00;-#,##0.00;"-"'  # an amount already divided by a million
MONEY_RP = '[$-421]"Rp "#,##0'  # whole Rupiah with its "Rp" in the cell
# Chart axes: whole Rupiah shown in millions or billions (each "," divides by 1000).
MONEY_IN_MILLIONS = "[$-421]#,##0,,"
MONEY_IN_BILLIONS = "[$-421]#,##0,,,"
# No locale: the reader's own Excel decides the separator (the plan templates' money
# inputs, the rekap's counts).
THOUSANDS = "#,##0"
PERCENT = "[$-421]0.0"
NUMBER = "[$-421]General"

# --- cell styles (xlsxwriter add_format properties) ----------------------------------------

# Top-aligned so numbers sit beside the first line of a wrapped neighbour.
BORDER = {"border": 1, "border_color": GRID, "valign": "top"}
HEADER = {"bold": True, "bg_color": ACCENT, "font_color": "#FFFFFF", "text_wrap": True,
          "valign": "vcenter", "border": 1, "border_color": GRID}
TOTAL = {"bold": True, "bg_color": TOTAL_FILL, "top": 2, "bottom": 1, "border_color": ACCENT}
TITLE = {"bold": True, "font_size": 14, "font_color": ACCENT}
SUBTITLE = {"italic": True, "font_color": "#595959"}
SECTION = {"bold": True, "font_size": 13, "font_color": ACCENT, "bottom": 2,
           "bottom_color": ACCENT}
WARNING = {"bold": True, "font_color": WARNING_TEXT, "bg_color": "#FFF2CC"}
ALL_CLEAR = {"font_color": "#375623", "bg_color": "#E2EFDA"}


def number_or_blank(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    """Write a number, or a blank cell in the same format when the value is not one."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_blank(row, col, None, fmt)


# --- column letters ------------------------------------------------------------------------

def col_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(col_index: int, excel_row: int) -> str:
    """0-based column index and Excel row number -> an A1 reference (2, 7 -> C7)."""
    return f"{col_letter(col_index)}{excel_row}"
