"""Branching scenarios: check and compile YAML, walk the graph, play it."""
