"""How simulated authorized persons behave in chat: open the form, answer, submit."""

from __future__ import annotations

from demo.answers import DONE, NOT_APPLICABLE, ZERO, indicator_value, reply_for
from emulator.client import BotMessage, SimUser


async def next_screen(user: SimUser, timeout: float = 10.0) -> BotMessage:  # noqa: ASYNC109
    """The next screen: the live window edited after typed input, or a new window, skipping
    edits that only took the buttons off an old one."""
    while (message := await user.next_message(timeout)).edited and not message.button_texts():
        pass
    return message


async def wait_for(user: SimUser, marker: str, timeout: float = 10.0) -> BotMessage:  # noqa: ASYNC109
    """Skip bot messages until one containing `marker` arrives."""
    while marker not in (message := await user.next_message(timeout)).text:
        pass
    return message


async def answer_form(user: SimUser, screen: BotMessage, person_index: int) -> BotMessage:
    """Answer every measure and indicator from `screen` on, in the one live window (each typed
    answer is taken from the chat and shown on the screen); return the overview."""
    measure_index = indicator_index = 0
    while screen.has_button(DONE) or screen.has_button(ZERO):
        if screen.has_button(ZERO):  # a measure's own indicator, or one at the end
            value = indicator_value(person_index, indicator_index)
            if value == 0:
                await user.press(ZERO, screen)
                screen = await user.next_message()
            else:
                await user.send(str(value))
                screen = await next_screen(user)
            indicator_index += 1
            continue
        reply = reply_for(person_index, measure_index)
        await user.press(reply.button, screen)
        screen = await user.next_message()
        if reply.button != NOT_APPLICABLE:
            await user.send(reply.text)
            screen = await next_screen(user)
        measure_index += 1
    return screen


async def submit(user: SimUser, overview: BotMessage) -> BotMessage:
    """«📨 Подати звіт»: returns the receipt; the organisation's own DOCX comes right after it."""
    await user.press("📨 Подати звіт", overview)
    receipt = await user.next_message()
    document = await user.next_message(timeout=15)
    name = document.document.file_name if document.document else None
    assert name is not None and name.startswith("zvit_"), (receipt.text, document.text)
    return receipt


async def fill_and_submit(user: SimUser, person_index: int) -> BotMessage:
    """From the round's invitation to the receipt."""
    invitation = await wait_for(user, "Розпочато збір")
    await user.press("Почати", invitation)
    overview = await answer_form(user, await user.next_message(), person_index)
    return await submit(user, overview)
