"""Periodic jobs: the scheduler only ticks; each job reads the DB to decide what is due."""
