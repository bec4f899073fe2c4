"""Benchmarks: measured speed and scale, recorded in docs/benchmarks.md (they assert nothing)."""
