"""iatse-reader: read, search and annotate a collection of labour documents."""

__version__ = "0.1.0"
