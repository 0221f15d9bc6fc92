"""The declarations of the schema's tables, by topic; :mod:`valuecrm.store.schema` assembles
them into ``TABLES`` (import them from there). Imports nothing above the standard library."""
