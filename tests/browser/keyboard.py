"""Keyboard-only browsing for the browser tests: Tab to an element, checking
on the way that every focus stop can be seen."""

# Tab presses before giving up: the header and the page.
MAX_STOPS = 120

# Where the focus is, and whether it can be seen: site.css draws a 3 px
# outline (and a ring) on :focus-visible.
FOCUS_STATE = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  return {
    html: element.outerHTML.slice(0, 120),
    visible: element.matches(':focus-visible')
      && ((style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
          || style.boxShadow !== 'none'),
  };
}"""


def tab_to(page, selector, *, backwards=False):
    """Press Tab (Shift+Tab when ``backwards``) until ``selector`` has the
    focus; every element passed on the way must show its focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_STOPS):
        page.keyboard.press(key)
        state = page.evaluate(FOCUS_STATE)
        if state is None:
            continue
        assert state["visible"], f"focus not visible on {state['html']}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} was not reached with {key}")
