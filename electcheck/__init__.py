"""electcheck: verify election results and check the numbers people publish about them."""

__version__ = "0.1.0"
