"""One router per resource, mounted under ``/api`` by
:func:`valuecrm.interfaces.api.create_app`."""
