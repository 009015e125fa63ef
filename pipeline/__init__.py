"""Smart City masterplan workshop pipeline."""

__version__ = "0.1.0"
