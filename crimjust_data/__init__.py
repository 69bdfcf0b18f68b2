"""CRIMJUST interdiction dashboard: the data layer (everything but widgets)."""

__version__ = "0.1.0"
