"""Helpers the chapters share (numpy only): the handout's fixed examples, hand-computation
tables and mistake generators, and one module per topic's experiments.

Import the module you need (``from nnlab.course import basis``); nothing is loaded eagerly.
"""
