"""csphub: the open-source platform for a UK Community Safety Partnership."""

__version__ = "0.1.0"
