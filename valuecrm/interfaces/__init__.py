"""The ways in: command line (``commands/``, ``cli.py``), REST API (``api/``) and dashboard
(``web/``); ``server.py`` mounts the API and the dashboard into one application.

They show what :mod:`valuecrm.views` (the read layer) answers and hold no SQL and fit no model
(a test in ``tests/test_import_graph.py`` checks it). ``api/`` never imports ``web/``; ``web/``
may import ``api/`` (its server state and privacy rules); only ``server.py`` imports both.
"""
