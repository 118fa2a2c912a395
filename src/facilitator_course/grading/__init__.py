"""Exercises: items, rubric scoring, checks for nbgrader test cells, trainer workflow."""
