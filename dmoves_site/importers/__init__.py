"""Importers: CSV/XLSX tables and foreign Markdown files → content records."""

# kind → module with `run(request, sheet)` (tables) or `run(request)` (Markdown files)
TABLE_KINDS = {"ozg": "ozg", "budget": "budget", "measures": "measures"}
FILE_KINDS = {"updates": "posts", "pages": "posts"}
KINDS = (*TABLE_KINDS, *FILE_KINDS)
