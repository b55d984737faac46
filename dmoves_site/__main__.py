"""Allow `python -m dmoves_site`."""

from dmoves_site.cli import main

main()
