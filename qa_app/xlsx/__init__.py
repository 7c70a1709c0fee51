"""A generic .xlsx writer: plain tables in (model.py), a formatted, formula-safe workbook out.

No Flask, no database and no other qa_app package: producers (qa_app.reports) hand it tables and
every word already translated. See docs/excel-reports.md.
"""
