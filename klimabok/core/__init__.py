"""klimabok's core: units, emission factors, the calculation engine.

Pure Python + numpy/pint. Nothing in this package may import Django
(tests/test_architecture.py enforces it), so the CLI's file commands and the
benchmarks run without a database.
"""
