"""Helpers shared by the tests (builders, constants, servers, the in-process CLI): plain modules,
no fixtures and no tests; test files import them, never each other or a conftest."""
