from core.edrpou import check_digit, is_valid, with_check_digit


def test_valid_codes_are_accepted() -> None:
    # Codes from both weight ranges (below 30 000 000 and between 30 and 60 million).
    assert is_valid("00032129")
    assert is_valid("14360570")
    assert is_valid("33240185")
    assert is_valid(with_check_digit("4410231"))


def test_a_wrong_check_digit_is_rejected() -> None:
    good = with_check_digit("4410231")
    bad = good[:7] + str((int(good[7]) + 1) % 10)
    assert not is_valid(bad)


def test_wrong_length_and_non_digits_are_rejected() -> None:
    assert not is_valid("0003212")
    assert not is_valid("000321290")
    assert not is_valid("0003212a")
    assert not is_valid("")
    assert not is_valid("٠٠٠٣٢١٢٩")  # Arabic-Indic digits are digits, but not ours


def test_second_pass_weights_are_used_when_the_first_sum_gives_ten() -> None:
    # Find a seven-digit prefix whose first weighted sum leaves 10 and check it still validates.
    prefix = next(
        f"{n:07d}"
        for n in range(1_000_000, 2_000_000)
        if sum(int(d) * w for d, w in zip(f"{n:07d}", range(1, 8), strict=True)) % 11 == 10
    )
    assert is_valid(prefix + str(check_digit(prefix)))
