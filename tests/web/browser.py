#!/usr/bin/python3
"""The web workspace in a real browser: Debian's chromium through chromedriver and
python3-selenium, driven by tests/web/t0710-serve-browser.sh, which starts one `docket serve`
per person (--as PERSON, each signing with their own key) and passes their addresses.

  browser.py CONFIG.json

CONFIG: {"servers": {"gv-qt": "http://127.0.0.1:PORT", ...}, "artefacts": DIR,
         "plan": ID, "report": ID, "steps": [...]} -- see main().

Every page loaded is checked for console messages (goog:loggingPrefs "browser") and every
request the browser made for where it went (the "performance" log): each must be to one of
the servers. Exit 0 when every check held; a message and exit 1 otherwise.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

A4 = (794, 1123)  # A4 at 96 dpi


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)
    print("ok - " + what, flush=True)


class Browser:
    def __init__(self, servers, artefacts):
        self.origins = {urlsplit(u)._replace(path="", query="", fragment="").geturl() for u in servers.values()}
        self.artefacts = artefacts
        opts = webdriver.ChromeOptions()
        opts.binary_location = "/usr/bin/chromium"
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                  "--no-first-run", "--disable-extensions", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update",
                  "--user-data-dir=" + os.path.join(artefacts, "chromium-profile"),
                  "--window-size=%d,%d" % A4):
            opts.add_argument(a)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
        self.driver.set_page_load_timeout(60)
        self.requests = []
        # what the browser did on its own before the first page (its start page's resources)
        self.driver.get("about:blank")
        self.driver.get_log("browser")
        self.driver.get_log("performance")

    def quit(self):
        self.driver.quit()

    def drain(self, what):
        """The console must be silent and every request must have gone to a server."""
        console = self.driver.get_log("browser")
        if console:
            raise Failure("%s: console messages: %s" % (what, console))
        for entry in self.driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg.get("method") == "Network.requestWillBeSent":
                url = msg["params"]["request"]["url"]
                self.requests.append(url)
                origin = urlsplit(url)._replace(path="", query="", fragment="").geturl()
                if origin not in self.origins and not url.startswith("data:"):
                    raise Failure("%s: a request left the server: %s" % (what, url))

    def get(self, url, what):
        self.driver.get(url)
        self.drain(what)

    def submit(self, button, expect, what):
        """Press BUTTON and wait for the page the server redirects to (EXPECT in its URL)."""
        button.click()
        WebDriverWait(self.driver, 60).until(lambda d: expect in d.current_url)
        self.drain(what)
        flash = self.driver.find_elements(By.CSS_SELECTOR, "p.flash")
        if not flash:
            raise Failure("%s: no confirmation; the page says: %s" % (what, self.driver.find_element(By.TAG_NAME, "body").text[:800]))

    def text(self, css):
        return [e.text for e in self.driver.find_elements(By.CSS_SELECTOR, css)]


def seed_page(b, server, plan, source):
    """The seed plan's A4 page: number, date line, every indicator with both milestones,
    the signer block, one box per signature; then a screenshot at A4 size."""
    b.get("%s/doc/%s/page" % (server, plan), "the seed plan's page")
    d = b.driver
    body = d.find_element(By.TAG_NAME, "body").text
    check("Số: 01/KH-PGDĐT" in body, "the seed plan's page shows its number 01/KH-PGDĐT")
    check("Cẩm Phả, ngày 11 tháng 5 năm 2021" in body, "the date line 'Cẩm Phả, ngày 11 tháng 5 năm 2021'")
    years = b.text("table.indicators th.c-year")
    check(years == ["Năm 2025", "Năm 2030"], "the indicator table has the milestones 2025 and 2030: %s" % years)
    rows = d.find_elements(By.CSS_SELECTOR, "table.indicators tr[id^='ind-']")
    ids = [r.get_attribute("id")[4:] for r in rows]
    want = ["1", "2", "3", "4.1", "4.2", "5.1", "5.2", "6", "7.1", "7.2"]
    check(ids == want, "all seven indicators (ten rows with 4.1, 4.2, 5.1, 5.2, 7.1, 7.2): %s" % ids)
    # every milestone target of the plan as written in the XML, in its year's column
    ns = {"d": "urn:docket:document:1"}
    targets = {}
    for ind in ET.parse(source).getroot().iter("{urn:docket:document:1}indicator"):
        targets[ind.get("id")] = {t.get("year"): t.get("value").replace(".", ",") for t in ind.findall("d:target", ns)}
    n = 0
    for r in rows:
        iid = r.get_attribute("id")[4:]
        cells = [c.text.strip() for c in r.find_elements(By.CSS_SELECTOR, "td.c-year")]
        for year, cell in zip(("2025", "2030"), cells):
            want = targets[iid].get(year)
            if (want is None and cell != "-") or (want is not None and not cell.startswith(want)):
                raise Failure("indicator %s, %s: the page says %r, the plan %r" % (iid, year, cell, want))
            n += want is not None
    check(n == sum(len(t) for t in targets.values()) and n >= 19,
          "every milestone target of the plan (%d) in its year's column" % n)
    signer = " ".join(b.text("td.signer"))
    check("KT. TRƯỞNG PHÒNG" in signer and "PHÓ TRƯỞNG PHÒNG" in signer and "Lê Thị Lan" in signer,
          "the signer block: KT. TRƯỞNG PHÒNG, PHÓ TRƯỞNG PHÒNG, Lê Thị Lan")
    boxes = d.find_elements(By.CSS_SELECTOR, "div.sig")
    check(len(boxes) == 3, "a signature box per signature (review, approval, origin): %d" % len(boxes))
    valid = [x for x in boxes if "Chữ ký hợp lệ" in x.text]
    check(len(valid) == 3, "each box says the signature was verified against the trust anchor")
    # the viewport itself A4 (794 x 1123 CSS pixels at 96 dpi), whatever the window around it
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": A4[0], "height": A4[1], "deviceScaleFactor": 1, "mobile": False})
    shot = os.path.join(b.artefacts, "seed-plan-a4.png")
    d.save_screenshot(shot)
    d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    with open(shot, "rb") as f:
        head = f.read(24)
    size = (int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big"))
    check(head[:8] == b"\x89PNG\r\n\x1a\n" and size == A4, "screenshot at A4 size (%dx%d) kept: %s" % (size + (shot,)))


def fill(b, server, report, figures, message, what):
    b.get("%s/doc/%s/figures" % (server, report), what)
    d = b.driver
    names = [e.text for e in d.find_elements(By.CSS_SELECTOR, "table.figures tr.indicator td:nth-child(2)")]
    if len(names) != len(figures) or not all(names):
        raise Failure("%s: the form does not name every indicator: %s" % (what, names))
    for ind, (num, den) in figures.items():
        for prefix, value in (("n_", num), ("d_", den)):
            field = d.find_element(By.NAME, prefix + ind)
            field.clear()
            field.send_keys(str(value))
    d.find_element(By.NAME, "message").send_keys(message)
    b.submit(d.find_element(By.ID, "save-figures"), "done=figures", what)
    check(True, what)


def act(b, server, doc, transition, message, what):
    b.get("%s/doc/%s" % (server, doc), what)
    d = b.driver
    buttons = d.find_elements(By.CSS_SELECTOR, "button[name='transition'][value='%s']" % transition)
    if not buttons:
        raise Failure("%s: no '%s' button; offered: %s" % (
            what, transition, [x.get_attribute("value") for x in d.find_elements(By.CSS_SELECTOR, "button[name='transition']")]))
    form = buttons[0].find_element(By.XPATH, "./ancestor::form")
    if message:
        form.find_element(By.NAME, "message").send_keys(message)
    b.submit(buttons[0], "done=" + transition, what)
    check(True, what)


def offered(b, server, doc):
    b.get("%s/doc/%s" % (server, doc), "the buttons offered")
    return [x.get_attribute("value") for x in b.driver.find_elements(By.CSS_SELECTOR, "button[name='transition']")]


def main():
    cfg = json.load(open(sys.argv[1], encoding="utf-8"))
    s = cfg["servers"]
    report = cfg["report"]
    os.makedirs(cfg["artefacts"], exist_ok=True)
    b = Browser(s, cfg["artefacts"])
    try:
        first = {k: tuple(v) for k, v in cfg["figures"].items()}
        second = {k: tuple(v) for k, v in cfg["corrected"].items()}
        check(offered(b, s["gv-qt"], report) == [], "the school's drafter is offered no transition")
        fill(b, s["gv-qt"], report, first, cfg["messages"]["fill"], "the drafter (gv-qt) fills in the report's figures")
        check(offered(b, s["ht-qt"], report) == ["submit"], "the school's head is offered exactly 'submit'")
        act(b, s["ht-qt"], report, "submit", cfg["messages"]["submit"], "the school's head (ht-qt) submits it, signed")
        check(sorted(offered(b, s["minh"], report)) == ["return", "review"], "the section (minh) is offered 'review' and 'return'")
        act(b, s["minh"], report, "return", cfg["messages"]["return"], "the section (minh) returns it with a reason")
        b.get("%s/plan/%s/status?year=2025" % (s["minh"], cfg["plan"]), "the plan's report status")
        body = b.driver.find_element(By.TAG_NAME, "body").text
        check("Bị trả lại (returned)" in body and cfg["messages"]["return"] in body,
              "the plan's status page shows the report returned, with the reason")
        fill(b, s["gv-qt"], report, second, cfg["messages"]["correct"], "the drafter corrects indicator 4.1")
        act(b, s["ht-qt"], report, "submit", cfg["messages"]["resubmit"], "the school's head resubmits it")
        act(b, s["minh"], report, "review", None, "the section reviews it")
        check(offered(b, s["ht-qt"], report) == [], "nothing is offered to the school's head now")
        act(b, s["lan"], report, "approve", None, "the leader (lan) approves it, signed")
        b.get("%s/doc/%s" % (s["lan"], report), "the approved report")
        check(b.text("dd span.state") == ["approved"], "the report's state is approved")
        b.get("%s/doc/%s/log" % (s["lan"], report), "the timeline")
        actions = b.text("table.timeline td.action")
        check(actions == ["add", "edit", "submit", "return", "edit", "submit", "review", "approve"],
              "the timeline: %s" % actions)
        b.get("%s/plan/%s/status?year=2025" % (s["lan"], cfg["plan"]), "the plan's report status")
        body = b.driver.find_element(By.TAG_NAME, "body").text
        check("Đã phê duyệt (approved)" in body, "the plan's status page shows the report approved")
        b.driver.save_screenshot(os.path.join(cfg["artefacts"], "plan-status.png"))
        b.get("%s/doc/%s/diff" % (s["lan"], report), "the diff of the last two versions")
        b.get("%s/?kind=report&year=2025&q=k%%E1%%BA%%BFt+qu%%E1%%BA%%A3" % s["lan"], "the list, searched")
        found = sorted(e.text for e in b.driver.find_elements(By.CSS_SELECTOR, "table.docs tbody tr td:first-child"))
        check(found == ["bc-2025-th-cp-1", "bc-2025-th-md-1", "bc-2025-th-qt-1"],
              "the list of 2025 reports searched for 'kết quả' (any case) in the subject: %s" % found)
        b.get("%s/?kind=plan&q=01%%2FKH-PGD%%C4%%90T" % s["lan"], "the list, searched by number")
        found = [e.text for e in b.driver.find_elements(By.CSS_SELECTOR, "table.docs tbody tr td:first-child")]
        check(found == ["kh-2021-354"], "the plans searched by number 01/KH-PGDĐT: %s" % found)
        check(all(u.startswith(tuple(b.origins)) for u in b.requests) and len(b.requests) > 10,
              "%d requests, every one to the servers" % len(b.requests))
        seed_page(b, s["lan"], cfg["plan"], cfg["plan_source"])
    except Failure as e:
        print("FAIL [browser.py]: %s" % e, file=sys.stderr)
        try:
            b.driver.save_screenshot(os.path.join(cfg["artefacts"], "failure.png"))
        except Exception:
            pass
        return 1
    finally:
        b.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
