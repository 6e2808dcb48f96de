"""Chromium: on the page "Alueiden vertailu" no reference line (county, all areas, target) runs through any text of
the ranked chart. The rendered SVG's text boxes are checked against each vertical rule's x position and extent;
the old bar list with its printed values is checked the same way and must fail, so the check can fail."""
import time

import pandas as pd
import pytest
import vl_convert as vlc

from .browser import browser_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser

# every vertical rule (a line with no width) against every text box of the same SVG: a hit is a text whose box
# spans the rule's x while overlapping its vertical extent
CROSSINGS = """(svg) => {
  const boxes = el => el.getBoundingClientRect();
  const rules = [...svg.querySelectorAll('g.mark-rule.role-mark line, g.mark-rule.role-mark path')].map(boxes)
      .filter(r => r.width < 1.5 && r.height > 20);
  const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => [t.textContent, boxes(t)]);
  const hits = [];
  for (const r of rules) for (const [s, b] of texts)
    if (b.left < r.left && r.left < b.right && b.top < r.bottom && r.top < b.bottom) hits.push([s, r.left]);
  return {rules: rules.length, texts: texts.length, hits};
}"""


def crossings(page, selector: str) -> dict:
    return page.locator(selector).first.evaluate(CROSSINGS)


def test_reference_lines_never_cross_the_labels(shared_app):
    url = shared_app                                     # read only: the run's shared server
    with browser_page(1400, 1000) as page:
        start = time.perf_counter()
        page.goto(f"{url}/compare?county=KS")
        wait_for_app(page)
        page.wait_for_selector("[data-testid='stVegaLiteChart'] svg.marks text")
        print(f"compare page ready in {time.perf_counter() - start:.2f} s (incl. 1.5 s idle wait)")
        svg = "[data-testid='stVegaLiteChart'] svg.marks"
        found = crossings(page, svg)
        assert found["rules"] >= 2, found                 # the county and the all-area lines (and the target)
        assert found["texts"] > 10, found
        assert not found["hits"], found["hits"]
        labels = page.locator(svg).first.inner_html()
        assert "Keski-Suomen hyvinvointialue" in labels and "Kaikki alueet" in labels
        screenshot(page, "compare_ranked_ks")
        # every municipality shown, standardised: still no crossing
        page.get_by_text("Näytä kaikki 22", exact=True).click()
        wait_for_app(page)
        page.get_by_text("Ikävakioitu (ESP 2013)", exact=True).click()
        wait_for_app(page)
        found = crossings(page, svg)
        assert found["rules"] >= 2 and found["texts"] > 22 and not found["hits"], found
        screenshot(page, "compare_ranked_ks_all_std")

        # the control: the old bar list prints values at the bar ends, and its target line runs through one
        from ui import charts
        old = pd.DataFrame({"name": ["A", "B", "C"], "value": [76.7, 50.0, 30.0],
                            "shown": ["76,7 %", "50,0 %", "30,0 %"]})
        spec = charts.region_bars(old, label="name", value_title="%", unit="pct", title="t", target=80.0,
                                  target_label="Tavoite 80 %").to_dict()
        spec["width"] = 400
        page.set_content(vlc.vegalite_to_svg(spec))
        found = crossings(page, "svg")
        assert found["rules"] == 1 and {s for s, _ in found["hits"]} == {"76,7 %"}, found
