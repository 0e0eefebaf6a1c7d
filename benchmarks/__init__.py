"""Benchmarks (`make bench`): each case prints its figure as a ratio to a baseline measured
in the same run, never as an absolute time; none is a timed unit test."""
