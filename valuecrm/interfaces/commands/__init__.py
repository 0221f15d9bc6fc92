"""One module per CLI command (or command group); :mod:`valuecrm.interfaces.cli` wires them."""
