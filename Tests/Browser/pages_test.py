"""Concord in a real browser: headless Chromium, driven by Selenium, against `concord serve --demo`.

What the Swift suites cannot see, because they read HTML as text: that the browser applies the stylesheet and
refuses nothing under the Content-Security-Policy (an inline script, style or event handler anywhere would show
as a violation in its console), that every page each demo role can reach from its navigation has the
classification banner at top and bottom, one heading, a skip link and a label for every control, and that the
forms work with JavaScript switched off (issue 2: "Works without JavaScript"); and that no page is wider than a
phone's screen.

Run by scripts/test-browser.sh, which starts the server and sets CONCORD_URL and CONCORD_DEMO_PASSWORD.
CONCORD_SCREENSHOTS, when set, is a folder that receives a PNG of every page visited.
"""

import os
import re
import unittest
from urllib.parse import urlparse

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

BASE = os.environ["CONCORD_URL"].rstrip("/")
PASSWORD = os.environ["CONCORD_DEMO_PASSWORD"]
SCREENSHOTS = os.environ.get("CONCORD_SCREENSHOTS")

ROLES = ["admin", "manager", "caseofficer", "marac", "dhr", "clerk", "member", "auditor"]
PAGES_PER_ROLE = 60
# Links that are not pages to check: files, exports and letters to download, the API.
NOT_PAGES = re.compile(r"\.(csv|pdf|json|ics|svg|css)$|/export|/download|/papers/|/letter|^/api/|^/logout")


def open_browser(javascript):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"]:
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(options=options, service=service)


class BrowserTestCase(unittest.TestCase):
    javascript = True

    def setUp(self):
        self.browser = open_browser(self.javascript)
        self.addCleanup(self.browser.quit)

    def open(self, path):
        self.browser.get(BASE + path)
        self.screenshot()

    def screenshot(self):
        if SCREENSHOTS:
            name = re.sub(r"[^A-Za-z0-9]+", "-", urlparse(self.browser.current_url).path).strip("-") or "home"
            self.browser.save_screenshot(os.path.join(SCREENSHOTS, f"{self.id().split('.')[-1]}-{name}.png"))

    def submit(self, button_selector="main form button[type=submit]"):
        self.submit_button(self.browser.find_element(By.CSS_SELECTOR, button_selector))

    def submit_button(self, button):
        """Clicks the button and waits for the page that answers the form (a click does not wait for it)."""
        before = self.browser.find_element(By.TAG_NAME, "html").id
        button.click()

        def answered(browser):
            try:
                return browser.find_element(By.TAG_NAME, "html").id != before and browser.find_elements(By.CSS_SELECTOR, "body > footer")
            except WebDriverException:  # the old document is being replaced
                return False

        WebDriverWait(self.browser, 20).until(answered)
        self.screenshot()

    def sign_in(self, role):
        self.open("/login")
        self.browser.find_element(By.ID, "email").send_keys(f"{role}@concord.demo")
        self.browser.find_element(By.ID, "password").send_keys(PASSWORD)
        self.submit()
        self.assertNotIn("/login", self.browser.current_url, f"{role} could not sign in")

    def main_heading(self):
        headings = self.browser.find_elements(By.CSS_SELECTOR, "h1")
        return headings[0].text if headings else ""

    def pages_reached(self, role):
        """Signs in as `role` and opens, from My work, the pages in the navigation and the pages they link to, two
        links deep: one page of each kind (/meetings/7 stands for every /meetings/N), up to PAGES_PER_ROLE.
        Downloads and exports are left out. Yields each path once its page is open."""
        self.browser.delete_all_cookies()
        self.sign_in(role)
        kinds, queue, visited = {"/"}, [("/", 0)], 0
        while queue and visited < PAGES_PER_ROLE:
            path, depth = queue.pop(0)
            self.open(path)
            visited += 1
            self.assertFalse(self.browser.find_elements(By.CSS_SELECTOR, "main p.reference"),
                             f"{role} {path}: an error page ({self.main_heading()})")
            yield path
            if depth == 2:
                continue
            for link in self.browser.find_elements(By.CSS_SELECTOR, "nav.navigation a[href], main a[href]"):
                href = urlparse(link.get_attribute("href"))
                kind = re.sub(r"\d+", "N", href.path)
                if href.netloc == urlparse(BASE).netloc and kind not in kinds and not NOT_PAGES.search(href.path):
                    kinds.add(kind)
                    queue.append((href.path, depth + 1))

    def console_problems(self):
        """Messages the browser logged as errors: CSP refusals, failed loads."""
        return [entry["message"] for entry in self.browser.get_log("browser") if entry["level"] == "SEVERE"]


class PagesTest(BrowserTestCase):
    """JavaScript on, so that an inline script or event handler anywhere would be refused and logged."""

    def check_page(self, label):
        browser = self.browser
        banners = browser.find_elements(By.CSS_SELECTOR, "body > .classification")
        self.assertEqual(len(banners), 2, f"{label}: the classification banner at top and bottom")
        self.assertTrue(all(re.match(r"OFFICIAL", banner.text) for banner in banners), f"{label}: banners {[b.text for b in banners]}")
        self.assertEqual(len(browser.find_elements(By.CSS_SELECTOR, "h1")), 1, f"{label}: one h1")
        self.assertTrue(browser.title, f"{label}: no title")
        # The stylesheet was loaded and applied: the banner is not the browser's default (transparent) background.
        self.assertNotEqual(banners[0].value_of_css_property("background-color"), "rgba(0, 0, 0, 0)", f"{label}: stylesheet")
        if browser.find_elements(By.CSS_SELECTOR, "header.header"):
            # Keyboard users skip the header and navigation: the first link of the page goes to the main content.
            first_link = browser.find_element(By.CSS_SELECTOR, "body a[href]")
            self.assertEqual(first_link.get_attribute("class"), "skip-link", f"{label}: the first link is not the skip link")
            self.assertTrue(browser.find_elements(By.CSS_SELECTOR, "main#main"), f"{label}: no main#main for the skip link")
        for control in browser.find_elements(By.CSS_SELECTOR, "main input:not([type=hidden]), main select, main textarea"):
            control_id = control.get_attribute("id")
            labelled = (control_id and browser.find_elements(By.CSS_SELECTOR, f'label[for="{control_id}"]')) \
                or control.get_attribute("aria-label") or control.get_attribute("aria-labelledby") \
                or control.find_elements(By.XPATH, "ancestor::label")
            self.assertTrue(labelled, f"{label}: the control named {control.get_attribute('name')!r} has no label")
        self.assertEqual(self.console_problems(), [], f"{label}: the browser refused or failed something")

    def test_the_pages_each_role_reaches(self):
        for role in ROLES:
            with self.subTest(role=role):
                for path in self.pages_reached(role):
                    self.check_page(f"{role} {path}")

    def test_a_narrow_screen_scrolls_only_down(self):
        """At a phone's width (390 px) no page is wider than the screen: wide tables scroll within themselves."""
        self.browser.set_window_size(390, 844)
        for role in ROLES:
            with self.subTest(role=role):
                for path in self.pages_reached(role):
                    width, screen = self.browser.execute_script(
                        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
                    self.assertLessEqual(width, screen, f"{role} {path} is {width} px wide on a {screen} px screen")

    def test_sign_in_shows_who_and_sign_out_ends_the_session(self):
        self.sign_in("caseofficer")
        self.assertEqual(self.browser.find_element(By.CSS_SELECTOR, ".account span").text,
                         "Casey Case-Officer, Maidstone Borough Council")
        self.submit(".account button")
        self.open("/asb")
        self.assertEqual(urlparse(self.browser.current_url).path, "/login")
        self.assertEqual(self.main_heading(), "Sign in to Concord")

    def test_an_unknown_address_gives_the_friendly_page_with_a_reference(self):
        self.sign_in("caseofficer")
        self.open("/no-such-page")
        self.assertRegex(self.browser.find_element(By.CSS_SELECTOR, "main .reference").text, r"^Reference: \S+")
        self.assertEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "body > .classification")), 2)


class FormsWithoutJavaScriptTest(BrowserTestCase):
    javascript = False

    def test_a_wrong_password_is_refused_with_a_message_and_keeps_the_email(self):
        self.open("/login")
        self.browser.find_element(By.ID, "email").send_keys("caseofficer@concord.demo")
        self.browser.find_element(By.ID, "password").send_keys("not the password at all")
        self.submit()
        self.assertEqual(urlparse(self.browser.current_url).path, "/login")
        self.assertTrue(self.browser.find_elements(By.CSS_SELECTOR, ".error-summary li"))
        self.assertEqual(self.browser.find_element(By.ID, "email").get_attribute("value"), "caseofficer@concord.demo")

    def test_an_incomplete_case_shows_the_error_summary_linked_to_each_field_and_keeps_what_was_typed(self):
        self.sign_in("caseofficer")
        self.open("/asb/new")
        self.browser.find_element(By.NAME, "title").send_keys("Noise from 12 Hill Street")
        self.submit()
        self.assertTrue(self.browser.title.startswith("Error: "), self.browser.title)
        links = self.browser.find_elements(By.CSS_SELECTOR, ".error-summary li a")
        self.assertTrue(links, "no errors listed")
        for link in links:
            target = link.get_attribute("href").split("#", 1)[1]
            self.assertTrue(self.browser.find_elements(By.ID, target), f"the error {link.text!r} links to #{target}, which is not on the page")
        self.assertEqual(self.browser.find_element(By.NAME, "title").get_attribute("value"), "Noise from 12 Hill Street")

    def test_every_form_sent_empty_answers_with_a_page_and_errors_that_link_to_their_fields(self):
        """Each kind of form on the pages the case, MARAC, DHR and governance roles reach, its text fields emptied:
        the answer is never an error page, and every error in the summary links to an element of the page. Forms
        that act at once rather than record something typed (sign out, revoke, remove, publish, approve…) are left
        alone."""
        acts_at_once = re.compile(r"logout|disable|revoke|remove|delete|withdraw|publish|close|read|reset|escalate|sign|"
                                  r"approve|decline|complete|cancel", re.IGNORECASE)
        tried = set()  # each kind of form once, for the first role that is offered it
        for role in ["caseofficer", "marac", "dhr", "clerk", "manager", "admin"]:
            with self.subTest(role=role):
                for path in list(self.pages_reached(role)):
                    self.open(path)
                    kinds = [self.form_kind(form) for form in self.browser.find_elements(By.CSS_SELECTOR, "main form[method=post]")]
                    untried = [index for index, kind in enumerate(kinds) if kind and kind not in tried and not acts_at_once.search(kind)]
                    for index in untried:
                        tried.add(kinds[index])
                        if index != untried[0]:
                            self.open(path)
                        form = self.browser.find_elements(By.CSS_SELECTOR, "main form[method=post]")[index]
                        for field in form.find_elements(By.CSS_SELECTOR, "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea"):
                            if field.is_displayed():
                                field.clear()
                        label = f"{role} {path}: {kinds[index]}"
                        self.submit_button(form.find_element(By.CSS_SELECTOR, "button[type=submit], button:not([type])"))
                        self.assertFalse(self.browser.find_elements(By.CSS_SELECTOR, "main p.reference"),
                                         f"{label}: an error page ({self.main_heading()})")
                        for link in self.browser.find_elements(By.CSS_SELECTOR, ".error-summary li a"):
                            target = link.get_attribute("href").split("#", 1)[1]
                            self.assertTrue(self.browser.find_elements(By.ID, target),
                                            f"{label}: the error {link.text!r} links to #{target}, which is not on the page")

    @staticmethod
    def form_kind(form):
        """What a form does, the same for every record ("/meetings/N/minutes Add minute"); None when its button is
        not shown (inside a closed <details>)."""
        buttons = form.find_elements(By.CSS_SELECTOR, "button[type=submit], button:not([type])")
        if not buttons or not buttons[0].is_displayed():
            return None
        return re.sub(r"\d+", "N", urlparse(form.get_attribute("action")).path) + " " + buttons[0].text

    def test_a_case_is_opened_with_the_form_alone(self):
        self.sign_in("caseofficer")
        self.open("/asb/new")
        fill = {"title": "Dog fouling on the recreation ground", "incident.occurredOn": "2026-11-20",
                "incident.reportedOn": "2026-11-21", "incident.description": "Repeated fouling by the same dog"}
        for name, value in fill.items():
            self.browser.find_element(By.NAME, name).send_keys(value)
        for name in ["complainant.anonymous", "perpetrator.anonymous"]:
            self.browser.find_element(By.NAME, name).click()
        for name, value in [("incident.category", "environmental"), ("incident.channel", "phone")]:
            self.browser.find_element(By.CSS_SELECTOR, f'select[name="{name}"] option[value="{value}"]').click()
        self.submit()
        # Cases that may be the same problem are shown first; the officer confirms that none of them is.
        confirm = self.browser.find_elements(By.NAME, "confirmNoExistingCase")
        if confirm:
            confirm[0].click()
            self.submit()
        self.assertRegex(urlparse(self.browser.current_url).path, r"^/asb/cases/\d+$",
                         self.browser.find_element(By.TAG_NAME, "main").text[:400])
        self.assertIn("Dog fouling on the recreation ground", self.main_heading())


if __name__ == "__main__":
    unittest.main(verbosity=2)
