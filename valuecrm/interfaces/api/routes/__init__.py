"""One router per resource, mounted under ``/api`` by
:func:`valuecrm.interfaces.server.create_app`."""
