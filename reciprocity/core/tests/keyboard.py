"""Keyboard-only steps for Playwright journeys: Tab to an element, then Enter or Space, as a
person without a mouse does. No `click`, no `focus()` from a script: if Tab never reaches an
element, the journey fails, and so does an element that takes focus without showing it."""

from typing import Any

MAX_TABS = 250  # the page's header and menu come first; no page of ours has more stops

# The focused element shows where it is: an outline (:focus-visible) or a focus shadow.
_FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return outline || style.boxShadow !== "none";
}"""


def tab_to(page: Any, selector: str, *, limit: int = MAX_TABS) -> None:
    """Press Tab until the element matching `selector` has the focus, and check that the focus
    is visible on it. Fails if Tab cycles through `limit` stops without reaching it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            assert page.evaluate(_FOCUS_SHOWN), f"{selector} has the focus but does not show it"
            return
    raise AssertionError(f"Tab never reached {selector} in {limit} presses on {page.url}")


def activate(page: Any, selector: str, *, key: str = "Enter") -> None:
    """Tab to the element, then press `key` (Enter for links and buttons, Space for buttons,
    check boxes and radio buttons)."""
    tab_to(page, selector)
    page.keyboard.press(key)


def type_into(page: Any, selector: str, text: str) -> None:
    """Tab to a text field and type into it."""
    tab_to(page, selector)
    page.keyboard.type(text)
