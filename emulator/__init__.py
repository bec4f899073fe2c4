"""Local Telegram Bot API emulator and the client that plays its users."""

from emulator.client import BotMessage, EmulatorClient, MediaInfo, SimUser
from emulator.limits import FloodLimits
from emulator.server import TelegramEmulator

__all__ = [
    "BotMessage",
    "EmulatorClient",
    "FloodLimits",
    "MediaInfo",
    "SimUser",
    "TelegramEmulator",
]
