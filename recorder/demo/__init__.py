"""Demo and benchmark stores, by job.

- ``people``: the scripted team's accounts (importable before the first paint: standard
  library only) and the names bulk people are drawn from;
- ``caseload``: the scripted team's children;
- ``phrases``: the phrase lists records are composed from; ``writer`` composes them;
- ``record``: one visit record's content and its oversight note;
- ``team``: the scripted team, made through the services (``recorder demo``, ``--demo``);
- ``bulk``, ``bulk_rows`` and ``bulk_protos``: the bulk loader (``recorder demo --children N
  ...``), which writes its rows directly, signing them with ``recorder.domain.signing`` as the
  services do; its text is filled in from a few prototype records per class of visit.

Both loaders refuse a store that already holds any worker, team or child, and write nothing
then. The text is composed from phrase lists with a seeded random, so a given seed always
makes the same store. Names are fictional.

This package's ``__init__`` imports nothing: ``recorder.demo.people`` must stay light.
"""
