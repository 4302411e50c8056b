"""kehoach: a knowledge graph and search over Vietnamese programme plans."""

__version__ = "0.1.0"
