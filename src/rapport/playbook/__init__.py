"""The informational-interview playbook as pure Python: plain values in, plain results out.

Nothing in this package imports Django or does I/O (an import-linter contract guards it).
"""
