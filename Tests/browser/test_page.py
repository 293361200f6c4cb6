"""Browser test of the mnistd dashboard (GET /) against a running server, in headless Chromium via Selenium.

The server's base URL comes from MNISTD_URL. Scenario: load the page; check that the job form is the POST /jobs schema of
/openapi.json (one input per field, in x-order, with its label, default, bounds, enum, help and widget), that a field added
to that schema appears with no change to the page, that out-of-range values are flagged before anything is sent, and that
a server 400 is shown next to the field it names; start a short job from the generated form and check the server got the
schema's defaults, watch its loss curve grow, see per-layer histograms, draw a digit and get a prediction, browse test
images with predictions, see the model's evaluation (confusion heatmap, a cell's images, its most confident mistakes),
start the lint demo preset and see its warnings, start the init-comparison preset and see the init
comparison's three curves on one chart, tick another job to plot it beside them, cancel a long job from its row,
run a sweep with successive halving from the Experiments card and see its runs compared, and find no console errors.
Screenshots at 1280x800 and 375x667 go to MNISTD_SCREENSHOT_DIR (default: a new temp dir, printed). Run with `python3 Tests/browser/test_page.py` or pytest; Tests/browser/run.sh
starts a release server for it.
"""
import base64, json, os, re, shutil, tempfile, time, urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

URL = os.environ.get("MNISTD_URL", "http://127.0.0.1:8080").rstrip("/") + "/"
ITERATIONS = int(os.environ.get("MNISTD_TEST_ITERATIONS", "2000"))
JOB_TIMEOUT = float(os.environ.get("MNISTD_TEST_JOB_TIMEOUT", "300"))


def get_json(path):
    with urllib.request.urlopen(URL + path, timeout=10) as res:
        return json.load(res)


def wait_healthy(timeout=120):
    deadline = time.time() + timeout
    while True:
        try:
            if get_json("healthz").get("status") == "ok":
                return
        except Exception:  # 503 while loading, or not listening yet
            pass
        if time.time() > deadline:
            raise AssertionError("server at %s not healthy within %ss" % (URL, timeout))
        time.sleep(0.5)


def make_driver():
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,800"):
        options.add_argument(arg)
    binary = os.environ.get("MNISTD_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if binary:
        options.binary_location = binary
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = os.environ.get("MNISTD_CHROMEDRIVER") or shutil.which("chromedriver")
    service = Service(executable_path=driver_path) if driver_path else Service()
    return webdriver.Chrome(service=service, options=options)


def set_viewport(driver, width, height, mobile):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    time.sleep(0.8)  # let the ResizeObserver redraw the canvases


def screenshot(driver, directory, name):
    """Saves the viewport and the full page as PNGs; returns their paths."""
    viewport = os.path.join(directory, name + ".png")
    driver.save_screenshot(viewport)
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
    full = os.path.join(directory, name + "-full.png")
    with open(full, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    return viewport, full


def element_screenshot(driver, element, path):
    """Saves one element as a PNG, all of it even where it reaches past the viewport."""
    r = driver.execute_script("const r = arguments[0].getBoundingClientRect();"
                              "return [r.left + scrollX, r.top + scrollY, r.width, r.height]", element)
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
        "clip": {"x": r[0], "y": r[1], "width": r[2], "height": r[3], "scale": 1}})
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    return path


def wait(driver, predicate, timeout=30, message=""):
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: predicate(d), message)


def set_value(driver, element_id, value):
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(str(value))


# Counts canvas pixels that are coloured (not grey/white): drawn series or bars.
COLOURED_PIXELS = """
const c = document.querySelector(arguments[0]);
const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
let n = 0;
for (let i = 0; i < d.length; i += 4) {
  const r = d[i], g = d[i + 1], b = d[i + 2], a = d[i + 3];
  if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 40) n++;
}
return n;
"""

# The page's MNIST preprocessing applied to a test image drawn 10x larger on a 280x280 canvas. MNIST digits are
# already fitted to 20x20 and centred by mass, so the result must be the image itself.
ROUND_TRIP = """
const px = arguments[0];
const c = document.createElement('canvas'); c.width = c.height = 280;
const ctx = c.getContext('2d'); ctx.fillStyle = '#000'; ctx.fillRect(0, 0, 280, 280);
px.forEach((v, i) => { if (v) { ctx.fillStyle = `rgb(${v},${v},${v})`; ctx.fillRect((i % 28) * 10, Math.floor(i / 28) * 10, 10, 10); } });
return mnistd.preprocess(ctx.getImageData(0, 0, 280, 280).data, 280, 280);
"""

# Every form control has an accessible name (label, aria-label or aria-labelledby).
UNLABELLED = """
return Array.from(document.querySelectorAll('input, select, textarea, button')).filter((e) => {
  if (e.type === 'hidden' || e.offsetParent === null) return false;
  const named = (e.labels && e.labels.length) || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')
    || (e.tagName === 'BUTTON' && e.textContent.trim());
  return !named;
}).map((e) => e.id || e.outerHTML.slice(0, 80));
"""

# The plotted jobs as the legend lists them: [job id, loss points drawn, text], read in one go (the legend is rebuilt
# on every poll, so element handles would go stale).
LEGEND = """
return Array.from(document.querySelectorAll('#legend li')).map((li) => [li.dataset.id, Number(li.dataset.points || 0),
  li.textContent]);
"""

# Per colour given as a CSS colour, how many opaque, saturated pixels of the canvas are closest to it (within a
# distance of 60 in RGB): how much of each job's curve is really drawn.
PIXELS_BY_COLOUR = """
const c = document.querySelector(arguments[0]);
const probe = document.createElement('canvas').getContext('2d');
const rgb = arguments[1].map((css) => { probe.fillStyle = css; probe.fillRect(0, 0, 1, 1);
  return Array.from(probe.getImageData(0, 0, 1, 1).data.slice(0, 3)); });
const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
const counts = rgb.map(() => 0);
for (let i = 0; i < d.length; i += 4) {
  const r = d[i], g = d[i + 1], b = d[i + 2];
  if (d[i + 3] < 200 || Math.max(r, g, b) - Math.min(r, g, b) <= 40) continue;
  let best = -1, bestD = 60 * 60;
  rgb.forEach(([R, G, B], k) => { const e = (r - R) ** 2 + (g - G) ** 2 + (b - B) ** 2; if (e < bestD) { bestD = e; best = k; } });
  if (best >= 0) counts[best]++;
}
return counts;
"""


def legend(driver):
    return {id_: (points, text) for id_, points, text in driver.execute_script(LEGEND)}


def swatch_colour(driver, job_id):
    return driver.execute_script(
        "const s = document.querySelector(`#legend li[data-id='${arguments[0]}'] .swatch`);"
        "return s && getComputedStyle(s).backgroundColor", job_id)


def row_state(driver, job_id):
    return driver.execute_script(
        "const r = document.querySelector(`#job-list .job[data-id='${arguments[0]}'] .state`);"
        "return r && r.dataset.state", job_id)


def row_state_text(driver, job_id):
    return driver.execute_script(
        "const r = document.querySelector(`#job-list .job[data-id='${arguments[0]}'] .state`);"
        "return r && r.textContent.trim().toLowerCase()", job_id)


def job_ids_listed(driver):
    return [r.get_attribute("data-id") for r in driver.find_elements(By.CSS_SELECTOR, "#job-list .job")]


def new_jobs(driver, before, count, message):
    """Waits until `count` jobs not in `before` are in the job list; returns their ids, newest first."""
    return wait(driver, lambda d: (lambda ids: ids if len(ids) >= count else False)(
        [i for i in job_ids_listed(d) if i not in before]), message=message)


def click_preset(driver, preset):
    button = driver.find_element(By.CSS_SELECTOR, '[data-preset="%s"]' % preset)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()


def check_lint_warnings(driver):
    """The lint demo (ReLU output with cross-entropy) is accepted with warnings, and the page shows them: a banner
    under the form, a banner above the charts, and a badge on the job's row, with the API's codes and messages."""
    before = set(job_ids_listed(driver))
    click_preset(driver, "lint")
    job_id = new_jobs(driver, before, 1, "lint demo job not listed")[0]
    warnings = get_json("jobs/" + job_id)["warnings"]
    assert warnings, "the lint demo config got no warnings from the API"
    assert all(w["code"] and w["message"] for w in warnings), warnings

    def shown(selector):
        banners = [b for b in driver.find_elements(By.CSS_SELECTOR, selector + " .banner.warn") if b.is_displayed()]
        return banners if len(banners) == len(warnings) else False
    for selector in ("#submit-warnings", "#job-alerts"):
        banners = wait(driver, lambda d: shown(selector), message="%d warning banner(s) not shown in %s"
                       % (len(warnings), selector))
        texts = [b.text for b in banners]
        for w in warnings:
            assert any(w["code"] in t and w["message"] in t for t in texts),                 "warning %s not shown in %s: %s" % (w, selector, texts)
        colour = driver.execute_script("return getComputedStyle(arguments[0]).backgroundColor", banners[0])
        assert colour not in ("rgba(0, 0, 0, 0)", "transparent", "rgb(255, 255, 255)"), "warning banner not highlighted"
    badge = driver.find_element(By.CSS_SELECTOR, '#job-list .job[data-id="%s"] .warn-badge' % job_id)
    wait(driver, lambda d: badge.is_displayed(), message="no warning badge on the lint job's row")
    assert badge.text.startswith("⚠ %d warning" % len(warnings)), badge.text
    print("lint warnings shown:", "; ".join(w["code"] for w in warnings))
    return job_id


def check_init_comparison(driver, timeout):
    """The init-comparison preset starts three jobs (normal std=0.01, Xavier, He) through POST /experiments/init-comparison;
    all three are listed and plotted on one loss chart, each curve grows to the preset's length, and each job's
    colour is on the chart."""
    before = set(job_ids_listed(driver))
    click_preset(driver, "init-comparison")
    ids = new_jobs(driver, before, 3, "the init comparison's three jobs not listed")
    assert len(ids) == 3, ids
    jobs = {i: get_json("jobs/" + i) for i in ids}
    inits = sorted(j["config"]["model"]["init"] for j in jobs.values())
    assert inits == ["he", "normal", "xavier"], inits
    trainings = [j["config"]["training"] for j in jobs.values()]
    assert all(t == trainings[0] for t in trainings), "the compared jobs differ in training config"
    iterations = trainings[0]["iterations"]
    assert all(j["config"]["model"]["init_std"] == 0.01 for j in jobs.values())
    wait(driver, lambda d: set(legend(d)) == set(ids), message="the three jobs are not the plotted ones")

    # Each curve grows while its job runs (one worker runs them in turn) and ends at one point per iteration.
    seen, deadline = {i: [] for i in ids}, time.time() + timeout
    while True:
        plotted = legend(driver)
        assert set(plotted) == set(ids), "plotted jobs changed: %s" % plotted
        for i in ids:
            seen[i].append(plotted[i][0])
        states = [row_state(driver, i) for i in ids]
        assert not any(s in ("failed", "cancelled") for s in states), states
        if all(s == "succeeded" for s in states) and all(seen[i][-1] >= iterations for i in ids):
            break
        assert time.time() < deadline, "comparison not done in %ss (states %s, points %s)" % (
            timeout, states, {i: seen[i][-1] for i in ids})
        time.sleep(0.2)
    for i in ids:
        assert seen[i] == sorted(seen[i]), "points of %s went down" % i
        assert seen[i][-1] == iterations, (i, seen[i][-1])
    grew = [i for i in ids if len(set(c for c in seen[i] if 0 < c < iterations)) >= 2]
    assert grew, "no curve of the comparison grew while its job ran"
    chart = driver.find_element(By.ID, "loss-chart")
    assert chart.get_attribute("data-series") == "3", chart.get_attribute("data-series")
    assert int(chart.get_attribute("data-points")) == 3 * iterations
    counts = driver.execute_script(PIXELS_BY_COLOUR, "#loss-chart", [swatch_colour(driver, i) for i in ids])
    assert all(n > 50 for n in counts), "a curve of the comparison is missing from the chart: %s" % counts
    print("init comparison curves (pixels per job):", counts)

    # The warnings of all three (the lint's at submission, and those training adds, such as std=0.01's vanishing
    # activations) are shown above the chart, one banner each, as the API lists them.
    def alerts_match(d):
        expected = sorted((w["code"], w["message"]) for i in ids for w in get_json("jobs/" + i)["warnings"])
        banners = [b.text for b in d.find_elements(By.CSS_SELECTOR, "#job-alerts .banner.warn") if b.is_displayed()]
        ok = len(banners) == len(expected) and all(any(c in t and m in t for t in banners) for c, m in expected)
        return expected if ok else False
    expected = wait(driver, alerts_match, message="#job-alerts does not show the comparison's warnings")
    codes = {c for c, _ in expected}
    assert "init_too_small" in codes, "std=0.01 over four ReLU layers not flagged: %s" % codes
    # A job that succeeded with warnings says so on its row, not in a plain success's green.
    for i in ids:
        warned = bool(get_json("jobs/" + i)["warnings"])
        text = row_state_text(driver, i)
        assert text == ("succeeded, with warnings" if warned else "succeeded"), (i, warned, text)
    print("init comparison warnings shown:", len(expected), sorted(codes))
    return ids


def check_tick_to_plot(driver, compared, other, iterations):
    """Ticking another job's checkbox adds its curve to the chart beside the plotted ones; unticking removes it."""
    check = driver.find_element(By.ID, "plot-" + other)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", check)
    assert not check.is_selected()
    check.click()
    wait(driver, lambda d: set(legend(d)) == set(compared) | {other} and legend(d)[other][0] == iterations,
         message="ticked job not plotted with its %d points" % iterations)
    chart = driver.find_element(By.ID, "loss-chart")
    wait(driver, lambda d: chart.get_attribute("data-series") == str(len(compared) + 1), message="no 4th curve")
    counts = driver.execute_script(PIXELS_BY_COLOUR, "#loss-chart",
                                   [swatch_colour(driver, i) for i in compared + [other]])
    assert all(n > 50 for n in counts), "a curve is missing from the chart: %s" % counts
    assert check.is_selected()
    check.click()
    wait(driver, lambda d: set(legend(d)) == set(compared), message="unticked job still plotted")
    wait(driver, lambda d: chart.get_attribute("data-series") == str(len(compared)), message="unticked curve still drawn")


def check_cancel(driver):
    """A long job, once its curve grows, is cancelled by its row's Cancel button: the row and GET /jobs/{id} say
    `cancelled`, it stopped short of its length, and its curve stops growing."""
    driver.find_element(By.ID, "reset-form").click()
    name = "cancel me %d" % int(time.time())
    set_value(driver, "f-name", name)
    Select(driver.find_element(By.ID, "f-training-length-unit")).select_by_value("iterations")
    length = 1000000
    set_value(driver, "f-training-iterations", length)
    before = set(job_ids_listed(driver))
    driver.find_element(By.ID, "submit-job").click()
    job_id = new_jobs(driver, before, 1, "long job not listed")[0]
    wait(driver, lambda d: legend(d).get(job_id, (0,))[0] > 0, timeout=60, message="long job's curve not growing")
    row = driver.find_element(By.CSS_SELECTOR, '#job-list .job[data-id="%s"]' % job_id)
    wait(driver, lambda d: row_state(d, job_id) == "running", message="long job's row does not say running")
    cancel = row.find_element(By.XPATH, ".//button[normalize-space()='Cancel']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cancel)
    assert cancel.is_displayed() and cancel.get_attribute("aria-label") == "Cancel " + name
    cancel.click()
    wait(driver, lambda d: row_state(d, job_id) == "cancelled", timeout=30, message="row does not say cancelled")
    job = get_json("jobs/" + job_id)
    assert job["state"] == "cancelled", job["state"]
    assert job["finished_at"], "cancelled job without finished_at"
    done = job["progress"]["iteration"]
    assert 0 < done < length, done
    assert not cancel.is_displayed(), "Cancel still offered on a cancelled job"
    assert row.find_element(By.CSS_SELECTOR, ".btn.danger").is_displayed(), "no Delete on a cancelled job"
    # The legend shows the state the history was read after: once it says cancelled, the curve is complete.
    points = wait(driver, lambda d: "cancelled" in legend(d)[job_id][1] and legend(d)[job_id][0],
                  message="legend does not say cancelled, or the cancelled job's curve is gone")
    time.sleep(1.5)  # a few polls
    assert legend(driver)[job_id][0] == points <= done, "curve grew after cancel"
    assert get_json("jobs/" + job_id)["state"] == "cancelled"
    print("cancelled at iteration", done)


# The chosen experiment's runs as the Experiments card shows them, read in one go (the table is rebuilt when the
# experiment changes, so element handles would go stale): [job id, best?, cell texts].
RUNS = """
return Array.from(document.querySelectorAll('#exp-runs tbody tr')).map((tr) => [tr.dataset.id,
  tr.classList.contains('best'), Array.from(tr.children).map((c) => c.textContent)]);
"""


def percent(x):
    return "–" if x is None else "%.2f%%" % (100 * x)


def check_sweep(driver, timeout):
    """A sweep started from the Experiments card: the job form is its base and the grid its runs. A grid path that
    is not a field is refused with the path named under the form. Four learning rates under successive halving
    (reduction 2) run to the end; the card's table shows each run's state, rung and test accuracy as
    GET /experiments/{id} reports them, marks the best run, and "Plot its runs" plots all four."""
    driver.find_element(By.ID, "reset-form").click()
    Select(driver.find_element(By.ID, "f-training-length-unit")).select_by_value("iterations")
    set_value(driver, "f-training-iterations", 400)
    set_value(driver, "f-training-validation_split", 0.1)
    grid = driver.find_element(By.ID, "sweep-grid")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", grid)
    grid.clear()
    grid.send_keys(json.dumps({"training.no_such_field": [1, 2]}))
    driver.find_element(By.ID, "sweep-submit").click()
    error = wait(driver, lambda d: d.find_element(By.ID, "sweep-error").is_displayed()
                 and d.find_element(By.ID, "sweep-error").text, message="a bad grid path was not refused on the page")
    assert "training.no_such_field" in error, error

    name = "browser sweep %d" % int(time.time())
    rates = [0.003, 0.01, 0.03, 0.1]
    grid.clear()
    grid.send_keys(json.dumps({"training.learning_rate": rates}))
    set_value(driver, "sweep-name", name)
    if not driver.find_element(By.ID, "sweep-halving").is_selected():
        driver.find_element(By.ID, "sweep-halving").click()
    set_value(driver, "sweep-reduction", 2)
    driver.find_element(By.ID, "sweep-submit").click()
    exp_id = wait(driver, lambda d: [o.get_attribute("value") for o in d.find_elements(By.CSS_SELECTOR, "#exp-select option")
                                     if o.text.startswith(name) and o.is_selected()],
                  message="the new sweep is not the chosen experiment")[0]
    assert not driver.find_element(By.ID, "sweep-error").is_displayed()
    experiment = get_json("experiments/" + exp_id)
    assert experiment["scheduler"]["reduction"] == 2 and experiment["varied"] == ["training.learning_rate"], experiment
    assert sorted(j["params"]["training.learning_rate"] for j in experiment["jobs"]) == rates
    base = experiment["base"]["training"]
    assert base["iterations"] == 400 and base["validation_split"] == 0.1, base
    wait(driver, lambda d: len(d.execute_script(RUNS)) == 4, message="the sweep's four runs are not in the table")

    deadline = time.time() + timeout
    while get_json("experiments/" + exp_id)["state"] in ("queued", "running"):
        assert time.time() < deadline, "sweep not done in %ss" % timeout
        time.sleep(0.5)
    experiment = get_json("experiments/" + exp_id)
    assert experiment["state"] == "succeeded", experiment["state"]
    statuses = sorted(j["successive_halving"]["status"] for j in experiment["jobs"])
    assert statuses == ["culled", "culled", "promoted", "promoted"], statuses

    def table_matches(d):
        rows = {id_: (best, cells) for id_, best, cells in d.execute_script(RUNS)}
        for job in experiment["jobs"]:
            if job["id"] not in rows:
                return False
            best, cells = rows[job["id"]]
            sh = job["successive_halving"]
            if best != (job["id"] == experiment["best"]["job_id"]) or cells[1] != job["state"] \
                    or cells[2] != "rung %d · %s" % (sh["rung"], sh["status"]) \
                    or cells[-1] != percent(job["metrics"]["test_accuracy"]):
                return False
        return rows
    rows = wait(driver, table_matches, message="the runs table does not show what GET /experiments/{id} says")
    print("sweep runs on the page:", {rows[i][1][0]: rows[i][1][1:] for i in rows})

    driver.find_element(By.ID, "exp-plot").click()
    ids = {j["id"] for j in experiment["jobs"]}
    wait(driver, lambda d: set(legend(d)) == ids, message="Plot its runs did not plot the sweep's four runs")


# ---- The job form against the schema ------------------------------------------------------------------------------
# The page builds its form from the POST /jobs body schema of /openapi.json. These checks read that schema here, on
# their own, and compare it with what the page shows. Ids follow one rule: "f-" + the field's path with "." as "-"
# (training.batch_size -> f-training-batch_size); an interval's two inputs add -lo and -hi, the wrapper adds -field.

def config_fields():
    """[(path, schema)] of the job config: the top-level fields, then each section's, each in x-order."""
    doc = get_json("openapi.json")

    def resolve(schema):
        while "$ref" in schema:
            node = doc
            for key in schema["$ref"][2:].split("/"):
                node = node[key]
            schema = node
        return schema
    body = resolve(doc["paths"]["/jobs"]["post"]["requestBody"]["content"]["application/json"]["schema"])
    fields, sections = [], []

    def walk(schema, prefix):
        keys = list(schema["properties"])
        order = [k for k in schema.get("x-order", []) if k in keys]
        for key in order + [k for k in keys if k not in order]:
            prop = resolve(schema["properties"][key])
            if prop.get("type") == "object" and "properties" in prop:
                sections.append((prefix + key, prop))
            else:
                fields.append((prefix + key, prop))
    walk(body, "")
    for path, schema in sections:
        walk(schema, path + ".")
    assert len(fields) > 10, "the POST /jobs schema has only %d fields" % len(fields)
    return fields


def field_id(path):
    return "f-" + path.replace(".", "-")


def nullable(schema):
    types = schema.get("type") if isinstance(schema.get("type"), list) else [schema.get("type")]
    # OpenAPI 3.1 lists null among the types, and a nullable enum lists it among its values; 3.0 said nullable.
    return schema.get("nullable") is True or "null" in types or None in schema.get("enum", [])


def base_type(schema):
    types = schema.get("type") if isinstance(schema.get("type"), list) else [schema.get("type")]
    if not any(types) and "oneOf" in schema:  # alternatives (a typed object such as lr_schedule, or null)
        types = [base_type(alternative) for alternative in schema["oneOf"]]
    return next((t for t in types if t and t != "null"), "string")


def expected_kind(path, schema):
    """The widget the page should use, from the schema alone."""
    t, key = base_type(schema), path.split(".")[-1]
    if t == "string" and "enum" not in schema and re.search(r"(^|_)model(_id)?$", key):
        return "model"
    if "enum" in schema:
        return "select"
    if t == "boolean":
        return "checkbox"
    if t in ("integer", "number"):
        return "number"
    if t == "array":
        items = schema.get("items", {})
        if items.get("type") == "integer":
            return "ints"
        if schema.get("minItems") == 2 and schema.get("maxItems") == 2 and items.get("type") == "number":
            return "interval"
    return "text" if t == "string" else "json"


# What the form shows, one entry per generated field wrapper, in page order.
FORM = """
return Array.from(document.querySelectorAll('#form-fields .field[data-field]')).map((f) => ({
  path: f.dataset.field, id: f.id, kind: f.dataset.kind, hidden: f.hidden,
  label: ((f.querySelector(':scope > label, :scope > .label') || {}).textContent || '').trim(),
  hint: ((f.querySelector('.hint') || {}).textContent || ''),
  inputs: Array.from(f.querySelectorAll('[data-path]')).map((i) => ({id: i.id, path: i.dataset.path,
    tag: i.tagName.toLowerCase(), type: i.type, value: i.value, checked: i.checked, min: i.getAttribute('min'),
    max: i.getAttribute('max'), step: i.getAttribute('step'), placeholder: i.getAttribute('placeholder') || '',
    title: i.title, widget: i.dataset.widget || null, described: i.getAttribute('aria-describedby') || '',
    options: i.tagName === 'SELECT' ? Array.from(i.options).map((o) => o.value) : null}))}));
"""


def shown_value(kind, inputs):
    """The value a widget shows, as JSON would have it."""
    first = inputs[0]
    if kind == "checkbox":
        return first["checked"]
    if kind in ("select", "model", "text"):
        return first["value"] or None
    if kind == "number":
        return float(first["value"]) if first["value"] != "" else None
    if kind == "ints":
        return [int(x) for x in re.split(r"[\s,]+", first["value"]) if x]
    if kind == "interval":
        return [float(i["value"]) for i in inputs]
    return json.loads(first["value"]) if first["value"] else None


def check_field(shown, path, schema):
    kind = expected_kind(path, schema)
    fid = field_id(path)
    assert shown["path"] == path and shown["id"] == fid + "-field", (shown["path"], shown["id"], path)
    assert shown["kind"] == kind, "%s: widget %s, expected %s" % (path, shown["kind"], kind)
    assert shown["label"] == schema.get("x-label", path.split(".")[-1]), (path, shown["label"])
    inputs = shown["inputs"]
    ids = [fid + "-lo", fid + "-hi"] if kind == "interval" else [fid]
    assert [i["id"] for i in inputs] == ids, (path, [i["id"] for i in inputs])
    assert all(i["path"] == path for i in inputs)
    for i in inputs:
        assert i["title"] == schema.get("description", ""), "%s: help not in the title" % path
        assert fid + "-hint" in i["described"].split(), "%s: hint not linked" % path
    assert schema.get("description", "") in shown["hint"], "%s: help not shown" % path
    default = schema.get("default")
    value = shown_value(kind, inputs)
    if kind == "ints" and default is None:
        default = []
    assert value == default, "%s shows %r, the schema's default is %r" % (path, value, default)
    if kind == "number":
        i = inputs[0]
        assert i["type"] == "number" and i["step"] == ("1" if base_type(schema) == "integer" else "any"), (path, i)
        for bound in ("minimum", "maximum"):
            attr = i["min" if bound == "minimum" else "max"]
            if bound in schema:
                assert attr is not None and float(attr) == schema[bound], "%s: %s %r, schema %r" % (path, bound, attr, schema[bound])
            else:
                assert attr is None, (path, bound, attr)
    if kind == "select":
        options = inputs[0]["options"]
        assert [o for o in options if o] == [v for v in schema["enum"] if v is not None], (path, options)
        assert ("" in options) == nullable(schema), "%s: unset option %s" % (path, "missing" if nullable(schema) else "extra")
    if kind == "model":
        assert inputs[0]["tag"] == "select" and inputs[0]["widget"] == "model" and inputs[0]["options"][0] == "", path
    if kind == "checkbox":
        assert inputs[0]["type"] == "checkbox", path
    if nullable(schema) and kind in ("number", "text"):
        assert inputs[0]["placeholder"].startswith("unset"), "%s: nullable without an unset hint" % path


def check_form_matches_schema(driver, fields):
    """One widget per schema field, in the schema's order, each with its label, id, help, default, bounds and kind."""
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#form-fields .field[data-field]"), message="form not built")
    shown = driver.execute_script(FORM)
    assert [s["path"] for s in shown] == [p for p, _ in fields], "form fields %s != schema %s" % (
        [s["path"] for s in shown], [p for p, _ in fields])
    paths = set(driver.execute_script(
        "return Array.from(document.querySelectorAll('#job-form [data-path]')).map((e) => e.dataset.path)"))
    assert paths == {p for p, _ in fields}, "inputs outside the schema: %s" % (paths - {p for p, _ in fields})
    for entry, (path, schema) in zip(shown, fields):
        check_field(entry, path, schema)
    kinds = {s["path"]: s["kind"] for s in shown}
    # The widgets a plain input does not fit, where the schema has those fields.
    for path, kind in (("model.hidden", "ints"), ("model.init_range", "interval"), ("model.from_model", "model"),
                       ("training.shuffle", "checkbox"), ("training.optimizer", "select")):
        if path in kinds:
            assert kinds[path] == kind, (path, kinds[path])
    by_path = {s["path"]: s for s in shown}
    if "training.epochs" in by_path and "training.iterations" in by_path:
        unit = Select(driver.find_element(By.ID, "f-training-length-unit"))
        assert unit.first_selected_option.get_attribute("value") == "epochs"
        assert not by_path["training.epochs"]["hidden"] and by_path["training.iterations"]["hidden"]
        unit.select_by_value("iterations")
        assert driver.find_element(By.ID, "f-training-iterations").is_displayed()
        assert not driver.find_element(By.ID, "f-training-epochs").is_displayed()
        unit.select_by_value("epochs")
    print("form matches the schema: %d fields, widgets %s" % (len(fields), sorted(set(kinds.values()))))


ADD_FIELDS = """
const real = window.fetch;
window.fetch = async function (input, init) {
  const res = await real.call(this, input, init);
  if (!String(typeof input === 'string' ? input : input.url).endsWith('openapi.json')) return res;
  const doc = await res.json();
  const t = doc.components.schemas.TrainingConfig;
  t.properties.warmup_steps = {type: 'integer', minimum: 0, maximum: 1000, default: 5, 'x-label': 'Warmup steps',
    description: 'Steps of linear warmup (a field only this test adds).'};
  t.properties.schedule = {type: 'string', enum: ['constant', 'cosine'], nullable: true, default: 'cosine',
    'x-label': 'Schedule', description: 'The learning-rate schedule; null: constant.'};
  t['x-order'].splice(t['x-order'].indexOf('batch_size') + 1, 0, 'warmup_steps', 'schedule');
  return new Response(JSON.stringify(doc), {status: 200, headers: {'Content-Type': 'application/json'}});
};
"""


def check_added_field_appears(driver):
    """Fields added to the schema (here by rewriting /openapi.json in the page) appear with their label, place,
    default, bounds and enum, and their bounds are checked, with no change to the page's code."""
    script = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ADD_FIELDS})["identifier"]
    try:
        driver.get(URL)
        wait(driver, lambda d: d.find_elements(By.ID, "f-training-warmup_steps"), message="added field not shown")
        shown = {s["path"]: s for s in driver.execute_script(FORM)}
        order = [s for s in shown]
        assert order.index("training.warmup_steps") == order.index("training.batch_size") + 1, order
        check_field(shown["training.warmup_steps"], "training.warmup_steps", {"type": "integer", "minimum": 0,
            "maximum": 1000, "default": 5, "x-label": "Warmup steps",
            "description": "Steps of linear warmup (a field only this test adds)."})
        check_field(shown["training.schedule"], "training.schedule", {"type": "string", "enum": ["constant", "cosine"],
            "nullable": True, "default": "cosine", "x-label": "Schedule",
            "description": "The learning-rate schedule; null: constant."})
        assert "unset: constant" in driver.find_element(By.ID, "f-training-schedule").text
        set_value(driver, "f-training-warmup_steps", 5000)
        driver.find_element(By.ID, "f-training-warmup_steps").send_keys(Keys.TAB)
        error = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#f-training-warmup_steps-field .field-error"),
                     message="added field's bounds not checked")[0]
        assert "0…1000" in error.text, error.text
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script})
    driver.get(URL)
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#form-fields .field[data-field]"), message="form not rebuilt")
    assert not driver.find_elements(By.ID, "f-training-warmup_steps")
    print("a field added to the schema appears on the page")


def field_error(driver, path, timeout=10):
    """The message shown next to the field at `path`."""
    return wait(driver, lambda d: [e.text for e in d.find_elements(By.CSS_SELECTOR, "#%s-field .field-error" % field_id(path))
                                   if e.text.strip()], timeout=timeout, message="no message next to " + path)[0]


def job_count():
    return len(get_json("jobs?limit=500")["jobs"])


def check_client_validation(driver):
    """Values outside the schema's bounds are flagged next to their field when left, and again on submit, and nothing
    is sent; the message clears once the value is fixed."""
    before = job_count()
    cases = [("training.batch_size", "0", "1…60000"), ("training.learning_rate", "0", "> 0"),
             ("training.momentum", "1", "[0, 1)"), ("model.hidden", "100, abc", "comma-separated"),
             ("model.hidden", "100, 0", "1…4096"), ("dataset", "no/such", "must match")]
    fields = dict(config_fields())
    for path, value, words in cases:
        if path not in fields:
            continue
        set_value(driver, field_id(path), value)
        driver.find_element(By.ID, field_id(path)).send_keys(Keys.TAB)
        message = field_error(driver, path)
        assert words in message, "%s=%s: %r does not say %r" % (path, value, message, words)
        assert driver.find_element(By.ID, field_id(path)).get_attribute("aria-invalid") == "true"
        driver.find_element(By.ID, "submit-job").click()
        time.sleep(0.3)
        assert words in field_error(driver, path)
        assert job_count() == before, "a job was submitted with %s=%s" % (path, value)
        driver.find_element(By.ID, "reset-form").click()
        assert not driver.find_elements(By.CSS_SELECTOR, "#%s-field .field-error" % field_id(path)), "error not cleared"
    print("client-side checks flag out-of-range values before sending")


def check_server_error(driver):
    """A value the schema allows but the server refuses (a dataset that does not exist: a 404 naming the field) is sent,
    and the error's message is shown next to the field its `field` names."""
    set_value(driver, "f-dataset", "no_such_dataset")
    driver.find_element(By.ID, "submit-job").click()
    message = field_error(driver, "dataset")
    assert "no_such_dataset" in message, message
    assert driver.find_element(By.ID, "f-dataset").get_attribute("aria-invalid") == "true"
    banner = driver.find_element(By.ID, "form-error")
    assert banner.is_displayed() and "dataset" in banner.text, banner.text
    driver.find_element(By.ID, "reset-form").click()
    assert not banner.is_displayed()
    print("server refusal shown next to dataset:", message)


def check_job_config(config, fields, given):
    """The job the form submitted has the values typed in and the schema's defaults everywhere else (fields unset by
    default are resolved by the server, so only their absence of error is checked)."""
    for path, schema in fields:
        node = config
        for key in path.split("."):
            node = node.get(key) if isinstance(node, dict) else None
        expected = given.get(path, schema.get("default"))
        if expected is None:
            continue  # unset: the job records what unset resolved to (loss null: cross_entropy for softmax)
        assert node == expected, "job config %s = %r, expected %r" % (path, node, expected)


# The evaluation heatmap as shown: per cell [true label, predicted, number shown].
CONFUSION_CELLS = """
return Array.from(document.querySelectorAll('#eval-confusion .cm-cell')).map((b) =>
  [Number(b.dataset.label), Number(b.dataset.predicted), Number(b.textContent)]);
"""


def check_evaluation(driver, model):
    """The Evaluation card of the selected model: a 10x10 heatmap whose numbers are the API's confusion matrix and
    sum to the 10000 test images, a click on a cell shows its images (up to the page's limit of 60), and the gallery
    shows the most confident mistakes, each labelled with a wrong prediction."""
    api = get_json("models/%s/evaluation?limit=24" % model)
    card = driver.find_element(By.ID, "model-eval")
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", card)
    cells = wait(driver, lambda d: len(d.execute_script(CONFUSION_CELLS)) == 100 and d.execute_script(CONFUSION_CELLS),
                 timeout=60, message="no 10x10 heatmap")
    assert sum(n for _, _, n in cells) == 10000, "heatmap numbers sum to %d" % sum(n for _, _, n in cells)
    assert all(n == api["confusion"][l][p] for l, p, n in cells), "heatmap differs from the API's confusion matrix"
    assert "accuracy" in driver.find_element(By.ID, "eval-status").text
    # Coloured by count: an empty cell stays white, the diagonal does not.
    colours = driver.execute_script("return Array.from(document.querySelectorAll('#eval-confusion .cm-cell'))"
                                    ".map((b) => getComputedStyle(b).backgroundColor)")
    assert any(c.startswith("rgba(47, 109, 181") for c in colours), "diagonal not coloured: %s" % colours[:3]
    # The busiest mistake cell, then a diagonal one (more images than the page shows).
    label, predicted, count = max((c for c in cells if c[0] != c[1]), key=lambda c: c[2])
    for l, p, n in [(label, predicted, count), (1, 1, api["confusion"][1][1])]:
        driver.find_element(By.CSS_SELECTOR, '#eval-confusion .cm-cell[data-label="%d"][data-predicted="%d"]' % (l, p)).click()
        shown = min(n, 60)
        wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, '#eval-cell .eval-thumb[data-painted="true"]')) == shown
             and ("True %d, predicted %d: %d image" % (l, p, n)) in d.find_element(By.ID, "eval-cell").text,
             timeout=60, message="cell (%d, %d) did not show %d images" % (l, p, shown))
        indices = [int(e.get_attribute("data-index")) for e in driver.find_elements(By.CSS_SELECTOR, "#eval-cell .eval-thumb")]
        assert len(indices) == shown and all(get_json("datasets/mnist/test/%d" % i)["label"] == l for i in indices[:5])
    assert driver.execute_script(COLOURED_PIXELS, "#eval-cell canvas") == 0  # grey digits
    # The gallery: the API's first mistakes, in its order, each with a wrong prediction and its confidence.
    expected = api["misclassified"]
    assert expected, "the model makes no mistakes"
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, '#eval-mistakes .eval-thumb[data-painted="true"]'))
         == len(expected), timeout=60, message="mistakes gallery not shown")
    items = driver.find_elements(By.CSS_SELECTOR, "#eval-mistakes .eval-thumb")
    for item, mistake in zip(items, expected):
        assert int(item.get_attribute("data-index")) == mistake["index"]
        text = item.text
        shown_label, shown_predicted = re.match(r"(\d) → (\d) · [\d.]+%", text).groups()
        assert (int(shown_label), int(shown_predicted)) == (mistake["label"], mistake["predicted"]) and shown_label != shown_predicted, text
    # Row-normalised colours keep the numbers.
    driver.find_element(By.ID, "eval-normalise").click()
    assert driver.execute_script(CONFUSION_CELLS) == cells


def test_dashboard():
    wait_healthy()
    shots = os.environ.get("MNISTD_SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="mnistd-page-")
    os.makedirs(shots, exist_ok=True)
    driver = make_driver()
    try:
        set_viewport(driver, 1280, 800, False)
        driver.get(URL)
        assert driver.title == "mnistd"
        wait(driver, lambda d: d.find_element(By.ID, "job-form").is_displayed())
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#form-fields .field[data-field]"), message="form not built")
        assert driver.execute_script(UNLABELLED) == [], "controls without labels"

        # Keyboard: Tab reaches the controls and the focused one shows a focus ring.
        body = driver.find_element(By.TAG_NAME, "body")
        for _ in range(3):
            ActionChains(driver).send_keys(Keys.TAB).perform()
        focused = driver.switch_to.active_element
        assert focused != body and focused.tag_name in ("a", "input", "button", "select"), focused.tag_name
        ring = driver.execute_script("return getComputedStyle(arguments[0]).boxShadow", focused)
        assert ring and ring != "none", "no visible focus on %s" % focused.get_attribute("id")

        # The form is the schema: one widget per field, a field added to the schema appears, bounds are checked
        # before sending, and the server's 400 lands next to the field it names.
        fields = config_fields()
        check_form_matches_schema(driver, fields)
        check_added_field_appears(driver)
        check_client_validation(driver)
        check_server_error(driver)

        # Start a short job from the generated form.
        name = "browser test %d" % int(time.time())
        set_value(driver, "f-name", name)
        Select(driver.find_element(By.ID, "f-training-length-unit")).select_by_value("iterations")
        set_value(driver, "f-training-iterations", ITERATIONS)
        set_value(driver, "f-training-eval_every", max(1, ITERATIONS // 4))
        # A validation split and a schedule typed into their widgets: validation squares and a learning-rate curve.
        schedule = {"type": "cosine", "min_lr": 0.001, "warmup_iterations": 10}
        set_value(driver, "f-training-validation_split", 0.1)
        set_value(driver, "f-training-lr_schedule", json.dumps(schedule))
        driver.find_element(By.ID, "submit-job").click()
        row = wait(driver, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#job-list .job")
                                      if r.find_element(By.CSS_SELECTOR, ".job-name").text == name],
                   message="job row not listed")[0]
        job_id = row.get_attribute("data-id")
        check_job_config(get_json("jobs/" + job_id)["config"], fields,
                         {"name": name, "training.iterations": ITERATIONS, "training.eval_every": max(1, ITERATIONS // 4),
                          "training.validation_split": 0.1, "training.lr_schedule": schedule})
        wait(driver, lambda d: name in d.find_element(By.ID, "legend").text, message="new job not plotted")

        # Its loss curve grows: the chart's point count rises over time and ends at one point per iteration.
        counts, deadline = [], time.time() + JOB_TIMEOUT
        while True:
            counts.append(int(driver.find_element(By.ID, "loss-chart").get_attribute("data-points") or 0))
            state = row.find_element(By.CSS_SELECTOR, ".state").get_attribute("data-state")
            if state in ("succeeded", "failed", "cancelled") and counts[-1] >= ITERATIONS:
                break
            assert state not in ("failed", "cancelled"), "job ended " + state
            assert time.time() < deadline, "job not done in %ss (counts %s)" % (JOB_TIMEOUT, counts[-5:])
            time.sleep(0.2)
        assert state == "succeeded", state
        assert counts == sorted(counts), "point count went down: %s" % counts
        growing = sorted(set(c for c in counts if 0 < c < ITERATIONS))
        assert len(growing) >= 2, "curve did not grow while running (counts seen: %s)" % sorted(set(counts))
        assert counts[-1] == ITERATIONS, counts[-1]
        wait(driver, lambda d: d.execute_script(COLOURED_PIXELS, "#loss-chart") > 200, message="loss chart blank")
        assert driver.execute_script(COLOURED_PIXELS, "#acc-chart") > 100, "accuracy chart blank"
        history = get_json("jobs/%s/history" % job_id)["points"]
        validated = [p for p in history if "validation_accuracy" in p]
        assert len(validated) == 4, "expected 4 validation points, got %d" % len(validated)
        wait(driver, lambda d: int(d.find_element(By.ID, "acc-chart").get_attribute("data-validation-points") or 0) == 4,
             message="validation points not drawn")
        wait(driver, lambda d: int(d.find_element(By.ID, "lr-chart").get_attribute("data-points") or 0) == ITERATIONS,
             message="learning-rate curve not drawn")
        assert driver.execute_script(COLOURED_PIXELS, "#lr-chart") > 50, "learning-rate chart blank"
        assert history[0]["learning_rate"] < history[20]["learning_rate"] > history[-1]["learning_rate"], \
            "warmup then cosine not in the history's rates"
        assert "val acc" in row.find_element(By.CSS_SELECTOR, ".job-meta").text, "validation accuracy not on the job's row"
        print("validation points and learning rates drawn:", len(validated), ITERATIONS)

        # One histogram per layer (hidden layers + output).
        job = get_json("jobs/" + job_id)
        layers = len(job["config"]["model"]["hidden"]) + 1
        wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#diag-rows canvas")) == layers,
             message="expected %d histograms" % layers)
        assert driver.execute_script(COLOURED_PIXELS, "#diag-rows canvas") > 20, "histogram blank"

        # Draw a 7 on the pad with the mouse and get a prediction from this job's model.
        model = job["model_id"]
        assert model, "succeeded job without model_id"
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '#model-select option[value="%s"]' % model),
             message="model not offered")
        if any(path == "model.from_model" for path, _ in fields):
            wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '#f-model-from_model option[value="%s"]' % model),
                 message="the form's model picker does not offer the new model")
        Select(driver.find_element(By.ID, "model-select")).select_by_value(model)
        pad = driver.find_element(By.ID, "pad")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", pad)
        chain = ActionChains(driver).move_to_element_with_offset(pad, -70, -85).click_and_hold()
        for k in range(1, 8):
            chain.move_by_offset(20, 0)
        for k in range(1, 10):
            chain.move_by_offset(-9, 19)
        chain.release().perform()
        wait(driver, lambda d: d.find_element(By.ID, "pred-label").text.strip() in list("0123456789"),
             message="no prediction shown")
        assert len(driver.find_elements(By.CSS_SELECTOR, "#pred-bars .bar-row")) == 10
        pixels = driver.execute_script("return mnistd.pad.pixels")
        assert len(pixels) == 784 and max(pixels) == 255 and min(pixels) == 0
        ink = [(i // 28, i % 28, v) for i, v in enumerate(pixels) if v > 0]
        rows, cols = [r for r, _, _ in ink], [c for _, c, _ in ink]
        assert max(max(rows) - min(rows), max(cols) - min(cols)) + 1 <= 21, "digit not scaled into 20x20"
        mass = sum(v for _, _, v in ink)
        cy, cx = sum(r * v for r, _, v in ink) / mass, sum(c * v for _, c, v in ink) / mass
        assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5, "centre of mass (%.1f, %.1f) not centred" % (cx, cy)
        assert driver.execute_script(COLOURED_PIXELS, "#preview") == 0  # grey only
        print("drawn 7 predicted as", driver.find_element(By.ID, "pred-label").text)
        for index in range(40):
            image = get_json("datasets/mnist/test/%d" % index)
            assert driver.execute_script(ROUND_TRIP, image["pixels"]) == image["pixels"], \
                "preprocessing changed upscaled test image %d" % index

        # Test images with their predictions, and one's probabilities.
        wait(driver, lambda d: len([c for c in d.find_elements(By.CSS_SELECTOR, "#test-grid .test-cell")
                                    if "→" in c.text]) == 12, timeout=60, message="test predictions missing")
        first = driver.find_element(By.CSS_SELECTOR, "#test-grid .test-cell")
        assert "label" in first.get_attribute("aria-label"), "test image not loaded (GET /datasets/mnist/test/0)"
        first.click()
        wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#test-detail .bar-row")) == 10)

        # The model's evaluation: the confusion heatmap, a cell's images, the most confident mistakes.
        check_evaluation(driver, model)
        evaluation_shot = element_screenshot(driver, driver.find_element(By.ID, "model-eval"),
                                             os.path.join(shots, "evaluation.png"))

        # Warnings of a config the lint flags, the init comparison's three curves on one chart, another job
        # ticked beside them, and a long job cancelled from its row.
        check_lint_warnings(driver)
        compared = check_init_comparison(driver, JOB_TIMEOUT)
        curves = element_screenshot(driver, driver.find_element(By.ID, "curves"),
                                    os.path.join(shots, "init-comparison.png"))
        check_tick_to_plot(driver, compared, job_id, ITERATIONS)
        check_cancel(driver)
        check_sweep(driver, JOB_TIMEOUT)
        element_screenshot(driver, driver.find_element(By.ID, "experiments"), os.path.join(shots, "experiments.png"))

        # Screenshots at desktop and phone sizes; the phone layout must not scroll sideways.
        driver.execute_script("window.scrollTo(0, 0)")
        paths = screenshot(driver, shots, "desktop-1280x800")
        set_viewport(driver, 375, 667, True)
        overflow = driver.execute_script("return document.documentElement.scrollWidth")
        assert overflow <= 375, "page is %dpx wide at 375px" % overflow
        paths += screenshot(driver, shots, "phone-375x667")
        print("screenshots:", curves, evaluation_shot, *paths, sep="\n  ")

        # No console errors besides the refusals the validation steps asked for (the 400s, the 404 of a dataset
        # that does not exist, and the sweep's bad grid path).
        logs = driver.get_log("browser")
        errors = [e for e in logs if e["level"] == "SEVERE"
                  and not ("/jobs" in e["message"] and ("status of 400" in e["message"] or "status of 404" in e["message"]))
                  and not ("/experiments/sweep" in e["message"] and "status of 400" in e["message"])]
        assert not errors, "console errors: %s" % errors
    finally:
        driver.quit()


if __name__ == "__main__":
    test_dashboard()
    print("browser test passed")
