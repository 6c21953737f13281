"""scripts/api_diff.py's parts: the attrs extension for griffe, annotations compared by meaning,
the comparison of two versions, and the report."""
