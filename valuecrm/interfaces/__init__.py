"""The ways in: command line, REST API and dashboard."""
