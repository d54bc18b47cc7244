"""Reports for people: the ranked table, CSV for Excel, the explanation."""
