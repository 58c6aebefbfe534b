"""Matplotlib renderers: each takes the data a pure function computed and draws it."""
