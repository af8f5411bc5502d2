"""Evaluation report: tables, Excel workbook and self-contained HTML page of a forecast."""
