"""Exceptions. Each stage error also subclasses a builtin, as geopy's ``exc`` module does, so
callers that only know the builtins still catch them."""

from __future__ import annotations


class FrontmapError(Exception):
    """Base class of every error frontmap raises on purpose."""


class ConfigError(FrontmapError, ValueError):
    """An option or argument has a value that cannot be used."""


class InputError(FrontmapError, OSError):
    """An input path is missing, unreadable or of a kind frontmap cannot read."""


class ArticleError(FrontmapError, ValueError):
    """One article could not be parsed; the run skips it and goes on."""


class GazetteerError(FrontmapError, LookupError):
    """The gazetteer data is missing, malformed or cannot be imported."""


class OutputError(FrontmapError, OSError):
    """An output file could not be written."""
