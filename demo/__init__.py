"""The offline demo: the real bot against the emulated Telegram, with simulated people."""
