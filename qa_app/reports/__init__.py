"""Excel coaching reports: plain tables from the results, one generic openpyxl writer."""
