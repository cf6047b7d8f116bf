"""The benchmarks are run by hand (python tests/benchmarks/run.py, load.py), never by pytest."""

collect_ignore = ["run.py", "load.py"]
