"""The look shared by the output workbooks (rekap, Quick Win profiles and evaluation).

Property dicts for xlsxwriter's add_format, so each writer combines them with its own
number formats and every report reads as one product.
"""

from __future__ import annotations

ACCENT = "#1F4E79"
GRID = "#BFBFBF"

# Top-aligned so numbers sit beside the first line of a wrapped neighbour.
BORDER = {"border": 1, "border_color": GRID, "valign": "top"}
HEADER = {"bold": True, "bg_color": ACCENT, "font_color": "#FFFFFF", "text_wrap": True,
          "valign": "vcenter", "border": 1, "border_color": GRID}
TOTAL = {"bold": True, "bg_color": "#DDEBF7", "top": 2, "bottom": 1, "border_color": ACCENT}
TITLE = {"bold": True, "font_size": 14, "font_color": ACCENT}
SUBTITLE = {"italic": True, "font_color": "#595959"}
SECTION = {"bold": True, "font_size": 13, "font_color": ACCENT, "bottom": 2,
           "bottom_color": ACCENT}
WARNING = {"bold": True, "font_color": "#833C0B", "bg_color": "#FFF2CC"}
ALL_CLEAR = {"font_color": "#375623", "bg_color": "#E2EFDA"}
