"""CSV downloads that a spreadsheet opens safely, whatever its language.

Every cell is quoted (QUOTE_ALL): a spreadsheet set to split on ";" (the list separator of much
of Europe) would otherwise split an unquoted cell such as `a;=HYPERLINK(...)` in two and run
the second half. And a cell that starts like a formula gets a leading quote, which keeps it
text: a student's display name or a typed answer can start with "=".
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def cell(value: Any) -> str:
    """A spreadsheet cell that cannot run as a formula."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_download(filename: str, rows: Iterable[Iterable[Any]]) -> HttpResponse:
    """The rows as a CSV file to download, never kept by a browser or a proxy: it is
    somebody's own data."""
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    add_never_cache_headers(response)
    writer = csv.writer(response, quoting=csv.QUOTE_ALL)
    writer.writerows([cell(value) for value in row] for row in rows)
    return response
