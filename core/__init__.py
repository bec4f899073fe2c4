"""Pure domain of Zvitbot: models and rules, with no I/O and no Telegram."""
