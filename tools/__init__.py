"""Test and benchmark tooling that is not part of the product (never installed with it: setuptools only
packages src/). Imported by tests/ and bench/ from the repository root; the product imports nothing here.
"""
