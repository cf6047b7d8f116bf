"""The benchmark is run by hand (python tests/benchmarks/run.py), never by pytest."""

collect_ignore = ["run.py"]
