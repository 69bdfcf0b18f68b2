"""Reading input files into canonical tables: readers (CSV/XLSX to text frames), importers."""

from crimjust_data.ingest.readers import TableFile, excel_sheet_names, read_table_file, sha256_of

__all__ = ["TableFile", "excel_sheet_names", "read_table_file", "sha256_of"]
