"""Quarter's edges, case 15: a typed record number is bounded and ASCII, or no number."""

from core.registry import record_number


def test_record_numbers_as_typed_and_what_is_not_one() -> None:
    assert [record_number(t) for t in ("12", " #7 ", "0")] == [12, 7, 0]
    for text in ("", "#", "²", "١٢", "12a", "-3", "1" * 19, "99999999999999999999"):
        assert record_number(text) is None, text
