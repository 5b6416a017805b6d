"""The hostile corpus: files an attacker or a careless user could hand to electcheck.

Everything is generated at test time into a temporary folder (nothing large is committed):
see :mod:`hostile.corpus`.
"""
