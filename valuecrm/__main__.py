"""``python -m valuecrm``: the command line."""

from valuecrm.interfaces.cli import main

main()
