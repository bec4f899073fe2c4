"""Documents in (registry and plan files) and out (the consolidated summary)."""
