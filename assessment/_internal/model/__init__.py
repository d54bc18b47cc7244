"""The scheme model's parts, re-exported by `assessment.scheme`."""
