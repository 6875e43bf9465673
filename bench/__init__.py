"""Benchmarks of the engine and the worklist (``make bench``); results go to bench/results/engine.json."""
