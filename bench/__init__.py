"""Benchmarks: they measure and print; they are not tests."""
