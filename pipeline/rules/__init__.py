"""Judging a file: the problem catalogue, the rules, the judgement."""
