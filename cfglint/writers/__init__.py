"""Writers: turn an :class:`~cfglint.model.Org` back into a configuration on disk."""
