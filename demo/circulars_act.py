"""The demo's circulars act: one circular to everyone, some acknowledge, the coordinator checks."""

from __future__ import annotations

from collections.abc import Sequence

from demo.people import wait_for
from emulator.client import BotMessage, SimUser

ACK = "Підтверджую ознайомлення"
DEMO_CIRCULAR = (
    "Роз'яснення НАЗК: подарунки уповноваженим особам — що можна приймати і як повідомити "
    "про неправомірну вигоду. Прошу ознайомитися до кінця тижня."
)


async def _delivered(user: SimUser, timeout: float = 30.0) -> BotMessage:  # noqa: ASYNC109
    while not (message := await user.next_message(timeout)).has_button(ACK):
        pass
    return message


async def circulars_act(
    coordinator: SimUser, persons: Sequence[SimUser], acknowledging: int
) -> str:
    """Send DEMO_CIRCULAR to all persons; the first `acknowledging` press the button; return
    the coordinator's /circulars screen.

    Expects: the bot running with its ticker (deliveries leave through the outbox), the clock
    inside working hours on a working day (otherwise deliveries wait for 09:00), `persons` bound
    and active, and every handle having read what came before (messages before the circular are
    skipped). The coordinator must not be composing anything else. The counts are those of the
    moment: copies to people who do not acknowledge may still be queued.
    """
    await coordinator.send("/circular")
    await wait_for(coordinator, "Новий циркуляр")
    await coordinator.send(DEMO_CIRCULAR)
    audience = await wait_for(coordinator, "Кому надіслати")
    await coordinator.press("Усім уповноваженим", audience)
    control = await wait_for(coordinator, "перевірте перед надсиланням")
    await coordinator.press("Надіслати", control)
    await wait_for(coordinator, "надіслано")
    for person in persons[:acknowledging]:
        copy = await _delivered(person)
        await person.press(ACK, copy)
        await person.next_message(30.0)  # the button turns into «✅ Ознайомлено …»
    await coordinator.send("/circulars")
    return (await wait_for(coordinator, "Останні циркуляри")).text
