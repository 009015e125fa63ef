"""The upload pages' Jinja2 templates (package data)."""
