from core.paging import page_of


def test_pages_are_clamped_and_numbered_across_the_whole_list() -> None:
    items = list(range(45))
    last = page_of(items, 99, 20)
    assert (last.number, last.count, list(last.items)) == (2, 3, list(range(40, 45)))
    assert last.position(0) == 41
    assert page_of(items, -3, 20).number == 0
    empty = page_of([], 0, 20)
    assert (empty.number, empty.count, list(empty.items)) == (0, 1, [])
