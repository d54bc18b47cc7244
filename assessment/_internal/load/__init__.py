"""File → validated model: the scheme and its cross-checks, the roster, event streams and types."""
