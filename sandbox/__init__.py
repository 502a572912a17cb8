"""A local stand-in for the job-distribution provider's HTTP API (VONQ "HAPI"-shaped).

Standard library only. It runs as its own process (``python -m sandbox``), keeps its own
storage and never imports the product; the product never imports it either.
"""
