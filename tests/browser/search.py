"""Choosing in a search-as-you-type select (core/search-select.js) as a user does: type, then pick."""


def search_pick(scope, select_id, query, choice):
    """Type ``query`` into the combobox replacing ``#select_id`` and choose the option containing ``choice``
    with the keyboard; the hidden <select> then holds it."""
    box = scope.locator(f"#{select_id}_search")
    box.fill(query)
    option = scope.locator(f"#{select_id}_listbox [role=option]", has_text=choice).first
    option.wait_for()
    options = scope.locator(f"#{select_id}_listbox [role=option]")
    index = next(i for i in range(options.count()) if choice in options.nth(i).inner_text())
    for _ in range(index + 1):
        box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == f"{select_id}_listbox_{index}"
    box.press("Enter")
    assert box.get_attribute("aria-expanded") == "false"
