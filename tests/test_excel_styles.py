"""Workbook cell styles set once per workbook (optimizer.report.excel_sheet.styled): every cell
looks as if its font, fill and alignment had been set on it alone."""

from __future__ import annotations

from openpyxl import Workbook

from optimizer.report.excel_sheet import (
    BAD_FILL,
    HEADER_FILL,
    HEADER_FONT,
    MSEK,
    TITLE_FONT,
    set_cell,
    styled,
    write_header,
)


def _header_look(cell) -> tuple:
    return (cell.font.b, cell.font.color.rgb, cell.fill.fgColor.rgb, cell.alignment.wrap_text)


def test_every_header_cell_of_every_workbook_has_the_header_look():
    first, second = Workbook(), Workbook()
    # the second workbook holds other styles first, so its style numbers differ from the first's
    set_cell(second.active, 1, 1, "Titel").font = TITLE_FONT
    set_cell(second.active, 2, 1, 1.5, MSEK).fill = BAD_FILL
    for workbook in (first, second):
        write_header(workbook.active, 3, ["år", "kapacitet", "underskott"])
    expected = (True, HEADER_FONT.color.rgb, HEADER_FILL.fgColor.rgb, True)
    for workbook in (first, second):
        cells = [workbook.active.cell(row=3, column=c) for c in (1, 2, 3)]
        assert [_header_look(cell) for cell in cells] == [expected] * 3
    assert second.active["A1"].font.size == TITLE_FONT.size  # the earlier styles are untouched
    assert second.active["A2"].fill.fgColor.rgb == BAD_FILL.fgColor.rgb


def test_a_header_that_reads_like_a_formula_stays_text_and_looks_like_the_others():
    workbook = Workbook()
    write_header(workbook.active, 1, ["kandidat", "=SUM(A1:A9)", "pool"])
    cells = [workbook.active.cell(row=1, column=c) for c in (1, 2, 3)]
    assert [cell.quotePrefix for cell in cells] == [False, True, False]
    assert cells[1].data_type == "s" and cells[1].value == "=SUM(A1:A9)"
    assert len({_header_look(cell) for cell in cells}) == 1


def test_a_fill_added_to_a_number_keeps_its_number_format():
    workbook = Workbook()
    sheet = workbook.active
    plain = set_cell(sheet, 1, 1, "text")
    number = set_cell(sheet, 2, 1, 12.5, MSEK)

    def bad(cell):
        cell.fill = BAD_FILL

    for cell in (plain, number, set_cell(sheet, 3, 1, 7.25, MSEK)):
        styled(cell, "shortfall", bad)
    assert [c.fill.fgColor.rgb for c in sheet["A"]] == [BAD_FILL.fgColor.rgb] * 3
    assert [c.number_format for c in sheet["A"]] == ["General", MSEK, MSEK]
