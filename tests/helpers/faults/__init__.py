"""The fault runs: the test suite runs each briefly (tests/faults/), `python -m benchmarks.faults`
runs the same code long."""
