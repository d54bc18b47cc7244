"""Private machinery of `assessment`: nothing here is public API."""
