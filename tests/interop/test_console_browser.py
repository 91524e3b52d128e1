"""The web console in a real browser: Debian's headless Chromium driven by Selenium
(through the system chromedriver: nothing is downloaded at test time). Logs in, finds a
dataset, opens its versions and preview, downloads it, restores a version as a writer,
is refused as a reader, logs out; a screenshot of each main page is kept under
build/test-artifacts/console/."""
import os
import pathlib
import shutil

import pyarrow as pa
import pyarrow.flight
import pyarrow.parquet as pq
import pytest

from conftest import REPO
from security_util import PASSWORD, add_user

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = pathlib.Path(os.environ.get("QUIVER_TEST_ARTIFACTS",
                                        REPO / "build" / "test-artifacts")) / "console"

pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
    reason="needs Debian's chromium and chromium-driver (scripts/bootstrap.sh)")

# Waits are for the page to reach a state, never assertions on time: generous, since
# the machine may be busy.
WAIT = 60


def put(client, name, table, options):
    writer, _ = client.do_put(pa.flight.FlightDescriptor.for_path(*name.split("/")), table.schema,
                              options=options)
    writer.write_table(table)
    writer.close()


@pytest.fixture
def server(start_quiverd, tmp_path):
    users = tmp_path / "users.json"
    add_user(users, "wendy", "writer")
    add_user(users, "rita", "reader")
    server = start_quiverd("--listen", "127.0.0.1:0", "--console-listen", "127.0.0.1:0",
                           "--users", str(users))
    client = pa.flight.connect(server.location)
    options = pa.flight.FlightCallOptions(
        headers=[client.authenticate_basic_token(b"wendy", PASSWORD.encode())])
    cities = ["Lyon", "Oslo", "Kyoto", "Lima", None]
    for rows in (200, 350):
        put(client, "sales/2024", pa.table({
            "id": pa.array(range(rows), pa.int64()),
            "city": pa.array([cities[i % 5] for i in range(rows)]),
            "amount": pa.array([round(i * 1.25, 2) for i in range(rows)])}), options)
    put(client, "sales/2025", pa.table({"id": pa.array(range(10), pa.int64())}), options)
    put(client, "inventory", pa.table({"sku": ["a", "b"], "count": [3, 4]}), options)
    return server


@pytest.fixture
def browser(tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1280,1000",
                     f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads),
        "download.prompt_for_download": False,
    })
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    yield driver
    driver.quit()


def console_url(server):
    from console_client import console_address
    scheme, host, port = console_address(server)
    return f"{scheme}://{host}:{port}/"


def wait(driver, condition):
    # A page re-rendered while a condition reads it is looked at again.
    return WebDriverWait(driver, WAIT,
                         ignored_exceptions=[StaleElementReferenceException]).until(condition)


def shot(driver, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def log_in(driver, url, user):
    driver.get(url + "#/login")
    wait(driver, EC.visibility_of_element_located((By.ID, "login-user"))).send_keys(user)
    driver.find_element(By.ID, "login-password").send_keys(PASSWORD)
    driver.find_element(By.ID, "login-submit").click()
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#datasets tbody tr")))


def test_writer_finds_reads_downloads_and_restores(server, browser):
    url = console_url(server)
    browser.get(url)
    wait(browser, EC.visibility_of_element_located((By.ID, "login-form")))
    shot(browser, "login")
    log_in(browser, url, "wendy")
    assert "wendy (writer)" in browser.find_element(By.ID, "who").text
    names = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#datasets a[data-dataset]")]
    assert names == ["inventory", "2024", "2025"]  # sales/ shown as a folder of two
    shot(browser, "datasets")

    browser.find_element(By.ID, "search").send_keys("2024")
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#datasets a[data-dataset]")) == 1)
    browser.find_element(By.CSS_SELECTOR, 'a[data-dataset="sales/2024"]').click()

    wait(browser, EC.text_to_be_present_in_element((By.ID, "dataset-name"), "sales/2024"))
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "#preview tbody tr")))
    versions = browser.find_elements(By.CSS_SELECTOR, "#versions tbody tr")
    assert [r.get_attribute("data-version") for r in versions] == ["2", "1"]
    assert browser.find_elements(By.CSS_SELECTOR, "#versions-chart canvas")
    fields = [r.find_elements(By.TAG_NAME, "td")[0].text
              for r in browser.find_elements(By.CSS_SELECTOR, "#schema tbody tr")]
    assert fields == ["id", "city", "amount"]
    stats = {r.find_elements(By.TAG_NAME, "td")[0].text: r.find_elements(By.TAG_NAME, "td")
             for r in browser.find_elements(By.CSS_SELECTOR, "#stats tbody tr")}
    assert stats["id"][4].text == "349"
    shot(browser, "dataset")

    # Version 1's preview, then its download as Parquet.
    versions[1].click()
    wait(browser, EC.text_to_be_present_in_element((By.ID, "version-title"), "Version 1"))
    wait(browser, lambda d: "of 200 rows" in d.page_source)
    browser.find_element(By.ID, "download-parquet").click()
    target = browser.downloads / "2024.parquet"
    wait(browser, lambda d: target.exists() and not list(browser.downloads.glob("*.crdownload")))
    assert pq.read_table(target).num_rows == 200

    # Restore version 1 as version 3.
    browser.find_element(By.CSS_SELECTOR, 'button.restore[data-version="1"]').click()
    wait(browser, lambda d: [r.get_attribute("data-version") for r in
                             d.find_elements(By.CSS_SELECTOR, "#versions tbody tr")] == ["3", "2", "1"])
    client = pa.flight.connect(server.location)
    options = pa.flight.FlightCallOptions(
        headers=[client.authenticate_basic_token(b"rita", PASSWORD.encode())])
    assert client.get_flight_info(pa.flight.FlightDescriptor.for_path("sales", "2024"),
                                  options).total_records == 200

    browser.get(url + "#/server")
    wait(browser, EC.text_to_be_present_in_element((By.ID, "readiness"), "ready"))
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "#chart-rpc-rate canvas")))
    shot(browser, "server")

    browser.find_element(By.ID, "logout").click()
    wait(browser, EC.visibility_of_element_located((By.ID, "login-form")))
    browser.get(url + "#/datasets")
    wait(browser, EC.visibility_of_element_located((By.ID, "login-form")))


def test_reader_sees_no_writer_actions_and_is_refused(server, browser):
    url = console_url(server)
    log_in(browser, url, "rita")
    browser.get(url + "#/dataset/sales%2F2024")
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "#preview tbody tr")))
    assert not browser.find_elements(By.CSS_SELECTOR, "button.restore, #drop, #compact")
    # The page's own session tries a restore anyway: the server refuses it.
    status = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch('/api/session').then(r => r.json()).then(s => fetch('/api/restore', {
          method: 'POST', credentials: 'same-origin',
          headers: {'Content-Type': 'application/json', 'X-Quiver-CSRF': s.csrf},
          body: JSON.stringify({name: 'sales/2024', version: 1})}))
        .then(r => r.json().then(b => done([r.status, b.error])));
    """)
    assert status[0] == 403 and "role reader" in status[1]


def test_pages_fit_a_phone(server, browser):
    url = console_url(server)
    browser.set_window_size(390, 844)
    log_in(browser, url, "rita")
    for page in ("#/datasets", "#/dataset/sales%2F2024"):
        browser.get(url + page)
        wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "table tbody tr")))
        # Wide tables scroll inside their card; the page itself does not.
        assert browser.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(browser, "dataset-phone")
