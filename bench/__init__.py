"""Benchmarks: ``make bench`` (all) or ``python -m bench <name>``. Each reports ratios against
a baseline measured in the same run, because absolute timings on shared machines drift."""
