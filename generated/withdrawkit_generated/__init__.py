# Generated from openapi/ by scripts/generate.py (datamodel-code-generator 0.89.0).
# Do not edit by hand: change the spec, then run `nox -s generate`.
"""Models generated from the specs in openapi/; import them through withdrawkit."""
