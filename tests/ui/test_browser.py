"""The chat in a real headless Chromium (Debian's chromium + chromedriver), driven by Selenium.

Starts `streamlit run app.py` on 127.0.0.1 (free port) over a freshly ingested copy of the
corpus and drives each flow: a cited answer, a follow-up, a reload, the document view from [n],
adding and switching collections (a PDF's page in its document view), deleting a document, the
Eval page. Screenshots go to test-artifacts/ (and tmp_path).
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kb.ingest.pipeline import ingest
from tests.conftest import ROOT, copy_corpus, free_port, make_settings, wait_for_http
from tests.documents import pdf_from_lines

pytestmark = pytest.mark.slow
CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
ARTIFACTS = ROOT / "test-artifacts"


PLANTED = (  # a document whose title and text try to plant links and a tracking pixel
    "Ferry guide www.planted.example help@planted.example http://127.0.0.1:9/bare "
    "[Sign in again](http://127.0.0.1:9/login) ![t](http://127.0.0.1:9/pixel.png)\n\n"
    "<img src=http://127.0.0.1:9/raw.png>\n\n"
    "The island ferry leaves the harbour at 07:30 every morning. See [tickets](http://127.0.0.1:9/t) "
    "or www.planted.example for prices.\n"
)


@pytest.fixture
def served_app(tmp_path, request):
    """The chat served over the seed articles, the planted page, and any files a test passes in."""
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    (s.corpus_dir / "ferry.txt").write_text(PLANTED)
    for name, text in getattr(request, "param", {}).items():
        (s.corpus_dir / name).write_text(text)
    ingest(s)
    port = free_port()
    env = {**os.environ, "KB_CORPUS_DIR": str(s.corpus_dir), "KB_DATA_DIR": str(s.data_dir),
           "KB_EVAL_DIR": str(tmp_path / "eval")}  # fmt: skip
    exe = os.path.join(os.path.dirname(sys.executable), "streamlit")
    cmd = [
        exe,
        "run",
        "app.py",
        "--server.port",
        str(port),
    ]  # the rest from the shipped .streamlit/config.toml
    log = tmp_path / "streamlit.log"
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_for_http(url + "/_stcore/health", proc)
    yield url, port, log
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def browser(tmp_path):
    if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
        pytest.fail("chromium and chromium-driver are needed: apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,1400", f"--user-data-dir={tmp_path / 'chrome-profile'}"):  # fmt: skip
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield driver
    driver.quit()


def shot(driver, tmp_path, name):
    path = tmp_path / name
    driver.save_screenshot(str(path))
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(path, ARTIFACTS / name)
    return path


def ask_in(browser, question: str):
    """Type a question into the chat and send it; the wait (2 minutes) to use on the page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 120)
    box = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "[data-testid='stChatInputTextArea']")))
    box.send_keys(question)
    box.send_keys(Keys.ENTER)
    return wait


def test_ask_read_the_answer_and_open_a_citation(served_app, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    browser.get(served_app[0])
    wait = ask_in(browser, "Python for serverless?")

    def answered(d):
        msgs = d.find_elements(By.CSS_SELECTOR, "[data-testid='stChatMessage']")
        return msgs[1] if len(msgs) >= 2 and "[1]" in msgs[1].text else False

    answer = wait.until(answered)
    assert "cold start" in answer.text
    expander = wait.until(
        ec.element_to_be_clickable(
            (By.CSS_SELECTOR, "[data-testid='stChatMessage'] [data-testid='stExpander'] summary")
        )
    )
    assert "[1] Python vs Node.js for Backend Development" in expander.text
    expander.click()

    def opened(d):
        found = [
            e
            for e in d.find_elements(
                By.CSS_SELECTOR, "[data-testid='stChatMessage'] [data-testid='stExpanderDetails']"
            )
            if e.text
        ]
        return found[0] if found else False

    details = wait.until(opened)
    assert "001_c1f814b815e7f51f.txt" in details.text and "AWS Lambda" in details.text
    time.sleep(0.5)  # let the expander finish animating before the screenshot
    path = shot(browser, tmp_path, "chat-answer.png")
    assert path.stat().st_size > 10_000

    ask_in(browser, "Who won the 2022 FIFA World Cup?")
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-testid='stChatMessage']")) >= 4)
    warning = wait.until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid='stAlertContainer']"))
    )
    assert "do not cover" in warning.text
    shot(browser, tmp_path, "chat-not-covered.png")


HOWTO = """# Columns

## Changing a column's data type

To convert a column to a different data type, use a command like:

```
ALTER TABLE products ALTER COLUMN price TYPE numeric(10,2);
```

This succeeds only if each existing entry can be converted to the new type.
"""


@pytest.mark.parametrize("served_app", [{"columns.md": HOWTO}], indirect=True)
def test_a_how_to_answer_shows_its_code_as_a_code_block(served_app, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(served_app[0])
    wait = ask_in(browser, "How do I change the type of a column?")

    def code_block(d):
        blocks = d.find_elements(By.CSS_SELECTOR, "[data-testid='stChatMessage'] [data-testid='stCode']")
        return blocks[0] if blocks else False

    block = wait.until(code_block)
    assert block.text.strip() == "ALTER TABLE products ALTER COLUMN price TYPE numeric(10,2);"
    answer = browser.find_elements(By.CSS_SELECTOR, "[data-testid='stChatMessage']")[1]
    assert "use a command like [1]:" in answer.text and "```" not in answer.text
    time.sleep(0.5)
    shot(browser, tmp_path, "chat-code-answer.png")


def test_document_text_never_becomes_a_link_or_an_image(served_app, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    browser.get(served_app[0])
    wait = ask_in(browser, "When does the island ferry leave the harbour?")
    expander = wait.until(
        ec.element_to_be_clickable(
            (By.CSS_SELECTOR, "[data-testid='stChatMessage'] [data-testid='stExpander'] summary")
        )
    )
    expander.click()
    wait.until(
        lambda d: (
            "07:30"
            in d.find_element(
                By.CSS_SELECTOR, "[data-testid='stChatMessage'] [data-testid='stExpanderDetails']"
            ).text
        )
    )
    sidebar = browser.find_element(By.CSS_SELECTOR, "[data-testid='stSidebar']")
    shown = (expander.text + sidebar.text).replace("\u2060", "")  # the word joiners that stop autolinks
    assert "Sign in again](http://127.0.0.1:9/login)" in shown and "www.planted.example" in shown
    shot(browser, tmp_path, "chat-planted-links.png")
    links = [a.get_attribute("href") for a in browser.find_elements(By.TAG_NAME, "a")]
    images = [i.get_attribute("src") for i in browser.find_elements(By.TAG_NAME, "img")]
    assert not [u for u in links + images if u and ("127.0.0.1:9/" in u or "planted" in u)]


def test_the_shipped_config_keeps_the_chat_on_this_machine_and_quiet(served_app, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    url, port, log = served_app
    browser.get(url)
    WebDriverWait(browser, 120).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid='stSidebar']"))
    )
    assert "Deploy" not in browser.find_element(By.TAG_NAME, "body").text
    out = log.read_text()
    assert "127.0.0.1" in out and "Network URL" not in out and "usage statistics" not in out
    assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1 only, not 0.0.0.0 or ::


def listening_addresses(port: int) -> set[str]:
    """Local addresses (kernel hex) of the sockets listening on this TCP port, from /proc/net."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def messages(d):
    from selenium.webdriver.common.by import By

    return d.find_elements(By.CSS_SELECTOR, "[data-testid='stChatMessage']")


def test_follow_up_reload_and_open_the_document_from_a_citation(served_app, browser, tmp_path):
    from selenium.webdriver.common.by import By

    url = served_app[0]
    browser.get(url)
    wait = ask_in(browser, "How long does a Django MVP take?")
    wait.until(lambda d: len(messages(d)) >= 2 and "[1]" in messages(d)[1].text)
    ask_in(browser, "And with NestJS?")
    wait.until(lambda d: len(messages(d)) >= 4 and "[1]" in messages(d)[3].text)
    assert "Searched for: How long does a NestJS MVP take?" in messages(browser)[3].text
    shot(browser, tmp_path, "chat-follow-up.png")

    browser.refresh()  # the URL names the conversation: a reload shows it again
    wait.until(lambda d: len(messages(d)) >= 4)
    assert "And with NestJS?" in messages(browser)[2].text and "?c=1" in browser.current_url
    sidebar = browser.find_element(By.CSS_SELECTOR, "[data-testid='stSidebar']")
    assert "How long does a Django MVP take?" in sidebar.text  # listed among saved conversations

    link = next(a for a in messages(browser)[1].find_elements(By.TAG_NAME, "a") if a.text == "[1]")
    assert "doc=001_c1f814b815e7f51f.txt" in link.get_attribute("href")
    browser.get(link.get_attribute("href"))  # the link opens a new tab; the same URL here
    wait.until(lambda d: "before this passage" in d.find_element(By.TAG_NAME, "body").text)
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Python vs Node.js for Backend Development" in body and "8-12 weeks" in body
    marked = browser.find_elements(By.CSS_SELECTOR, "[data-testid='stMarkdownContainer'] strong")
    assert any("6-8 weeks" in m.text for m in marked)  # the supporting sentence, in bold
    shot(browser, tmp_path, "chat-document-view.png")


def test_documents_page_deletes_after_confirmation_and_eval_page_shows_results(served_app, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    url = served_app[0]
    browser.get(url + "/documents")
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 120)
    wait.until(lambda d: "3 documents" in d.find_element(By.TAG_NAME, "body").text)
    wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid='stDataFrame']")))
    time.sleep(1)  # the table's canvas draws after the element appears
    shot(browser, tmp_path, "documents.png")
    wait.until(ec.element_to_be_clickable((By.XPATH, "//button[.//p[text()='Delete']]"))).click()
    wait.until(ec.element_to_be_clickable((By.XPATH, "//button[.//p[text()='Yes, delete it']]"))).click()
    wait.until(lambda d: "1 removed" in d.find_element(By.TAG_NAME, "body").text)

    browser.get(url + "/eval")
    wait.until(lambda d: "No results yet" in d.find_element(By.TAG_NAME, "body").text)
    assert "Run the eval" in browser.find_element(By.TAG_NAME, "body").text


def body_text(d) -> str:
    from selenium.webdriver.common.by import By

    return d.find_element(By.TAG_NAME, "body").text


SIDEBAR = "[data-testid='stSidebar']"
CHOSEN = f"{SIDEBAR} input[aria-label='Collection']"  # the collection selector's value


def test_add_a_collection_ask_its_pdf_open_the_page_and_switch_back(served_app, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec

    manuals = tmp_path / "manuals"
    manuals.mkdir()
    (manuals / "manual.pdf").write_bytes(
        pdf_from_lines(
            [
                ["Intro page about the manual and how to read it."],
                ["Failover to the standby region takes about four minutes."],
            ]
        )  # fmt: skip
    )
    url = served_app[0]
    browser.get(url)
    wait = ask_in(browser, "Python for serverless?")  # a conversation in the default collection
    wait.until(lambda d: len(messages(d)) >= 2 and "[1]" in messages(d)[1].text)

    sidebar = browser.find_element(By.CSS_SELECTOR, SIDEBAR)
    sidebar.find_element(By.XPATH, ".//button[.//p[text()='Add a collection']]").click()
    for label, value in (("Name", "manuals"), ("Corpus folder", str(manuals))):
        field = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, f"input[aria-label='{label}']")))
        field.send_keys(value, Keys.ENTER)
        wait.until(lambda d, f=field, v=value: f.get_attribute("value") == v)
    add = "//button[.//p[text()='Add'] and not(@disabled)]"
    wait.until(ec.element_to_be_clickable((By.XPATH, add))).click()
    wait.until(lambda d: "1 added" in body_text(d))  # the new collection's first ingest
    assert not browser.find_elements(By.CSS_SELECTOR, "input[aria-label='Name']")  # the form closed
    assert "collection=manuals" in browser.current_url and not messages(browser)
    assert browser.find_element(By.CSS_SELECTOR, CHOSEN).get_attribute("value") == "manuals"

    ask_in(browser, "How long does failover to the standby region take?")
    wait.until(lambda d: len(messages(d)) >= 2 and "[1]" in messages(d)[1].text)
    assert "four minutes" in messages(browser)[1].text and "· p. 2" in messages(browser)[1].text
    shot(browser, tmp_path, "chat-collection.png")
    link = next(a for a in messages(browser)[1].find_elements(By.TAG_NAME, "a") if a.text == "[1]")
    href = link.get_attribute("href")
    assert "collection=manuals" in href and "doc=manual.pdf" in href
    browser.get(href)
    wait.until(lambda d: "Failover to the standby region" in body_text(d))
    captions = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "[data-testid='stCaptionContainer']")]
    assert any("manual.pdf" in c and "the passage is on p. 2" in c for c in captions)
    marked = browser.find_elements(By.CSS_SELECTOR, "[data-testid='stMarkdownContainer'] strong")
    assert any("four minutes" in m.text for m in marked)
    shot(browser, tmp_path, "chat-document-view-pdf.png")

    captions = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "[data-testid='stCaptionContainer']")]
    assert captions[-2:] == ["p. 1", "p. 2"]  # each page's text under its number
    browser.find_element(By.XPATH, "//a[contains(., 'Back to the conversation')]").click()  # this tab
    wait.until(lambda d: len(messages(d)) >= 2)
    browser.find_element(By.CSS_SELECTOR, f"{SIDEBAR} [data-testid='stSelectbox'] button").click()
    wait.until(ec.element_to_be_clickable((By.XPATH, "//*[@role='option'][normalize-space(.)='kb']"))).click()
    wait.until(lambda d: "collection=" not in d.current_url and not messages(d))
    assert browser.find_element(By.CSS_SELECTOR, CHOSEN).get_attribute("value") == "kb"
    wait.until(lambda d: "Python for serverless?" in d.find_element(By.CSS_SELECTOR, SIDEBAR).text)
    sidebar = browser.find_element(By.CSS_SELECTOR, SIDEBAR)
    assert "How long does failover" not in sidebar.text  # each collection keeps its own conversations
