"""axe-core in a Playwright page: the WCAG 2.2 AA rules a page breaks, seriously or critically.

axe-core is vendored under tests/vendor/axe-core/ (a test tool, never served to users; version,
licence and why in docs/decisions/0010-accessibility-axe-core-and-playwright.md). It is evaluated
in the page through the DevTools protocol, which the pages' Content-Security-Policy does not
govern, so nothing of the site has to allow it.
"""

from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe's tags; best practices are left out).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
FAILING_IMPACTS = ("serious", "critical")

_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                           resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
  }));
}"""

_source: str | None = None


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The serious and critical WCAG A/AA violations on the page as it stands now."""
    global _source
    if _source is None:
        _source = AXE.read_text(encoding="utf-8")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_source)
    violations: list[dict[str, Any]] = page.evaluate(_RUN, WCAG_TAGS)
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def describe(url: str, violations: list[dict[str, Any]]) -> list[str]:
    """One line per violated rule on a page, with up to three of the elements that break it."""
    lines = []
    for violation in violations:
        targets = ", ".join(node["target"] for node in violation["nodes"][:3])
        more = len(violation["nodes"]) - 3
        lines.append(f"{url}: {violation['id']} ({violation['impact']}, {violation['help']}) "
                     f"at {targets}" + (f" and {more} more" if more > 0 else ""))
    return lines
