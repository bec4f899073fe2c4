"""Composition root of Zvitbot: settings, app factory, middlewares and the command line."""
