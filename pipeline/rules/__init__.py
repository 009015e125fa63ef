"""Judging a file: the rules (pipeline.catalogue names every problem), the judgement."""
