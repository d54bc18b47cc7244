"""The HTTP service, `assessment serve`: the library over HTTP, for the systems that call it."""
