"""Partner formats (issue 14): DfT STATS19 road safety data, A&E assault records in the
ISB1594 (ISTV) fields, fire incident records and published fire aggregate tables.

Each format reads a file with the shared line-as-a-row parser, types and decodes it with
layouts and code lists kept as data files (``csphub/data/partner``), and hands the rows to
the same load, lineage, quarantine and replacement path as police.uk files.
"""
