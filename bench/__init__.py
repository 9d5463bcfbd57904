"""quizsite's benchmarks and fault test, run as `python -m bench.<name>` (bench/README.md)."""
