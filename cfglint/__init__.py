"""cfglint: lint CRM configuration and design the minimum viable configuration for launch."""

__version__ = "0.1.0"
