"""The built-in demo workshop (not imported by the runtime modules)."""
