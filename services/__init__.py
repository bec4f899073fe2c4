"""Use cases: no Router, one transaction per call (the caller's `conn`), core models out.

Handlers parse an update, call one service and reply; the scheduler's jobs call services too.
"""
