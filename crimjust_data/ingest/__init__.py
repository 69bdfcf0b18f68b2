"""Reading input files into canonical tables: readers (CSV/XLSX to text frames), importers."""

import os

import pyarrow

from crimjust_data.ingest.readers import TableFile, excel_sheet_names, read_table_file, sha256_of

# Arrow's own allocator (mimalloc) hands large buffers back and asks for fresh zeroed pages
# again and again while a big file is read; the C library's allocator reuses them: a 1M-row
# import spends about 1 s less in the kernel. ARROW_DEFAULT_MEMORY_POOL still decides if set.
if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())

__all__ = ["TableFile", "excel_sheet_names", "read_table_file", "sha256_of"]
