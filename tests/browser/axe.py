"""axe-core (from the npm registry, ``tests/browser/package.json``) run inside the suite's Chromium, and the reflow
check at 320 CSS pixels (WCAG 2.1 AA 1.4.10)."""

from pathlib import Path

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def serious_violations(page):
    """axe's serious and critical WCAG 2.1 A/AA violations on the page as it stands: (rule, impact, targets)."""
    assert AXE.exists(), f"axe-core is missing: run `npm ci` in {AXE.parents[2]} (scripts/test does it)"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol rather than added as a <script>: a page's Content-Security-Policy
        # (which forbids inline scripts) then does not stand in the way of the check.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(' ')).slice(0, 5)])",
        WCAG_AA,
    )
    return [v for v in violations if v[1] in ("serious", "critical")]


def scrolls_sideways_at_320(page):
    """Whether the page needs horizontal scrolling at 320 px wide; the viewport is put back afterwards."""
    before = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    try:
        return page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"
            " || document.body.scrollWidth > document.documentElement.clientWidth + 1"
        )
    finally:
        page.set_viewport_size(before)
