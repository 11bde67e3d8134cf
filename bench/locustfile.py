"""A social worker's day, replayed by Locust against a running Shegong (`make load`).

Each simulated user is one demo social worker (worker-<station>-<n>): it logs in
through the real log-in form, then loops over the day's work with the real forms and
their CSRF tokens: open the home page (the work queues), the caseload, the dashboard,
the station's calendar and the outreach list (rosters), register a client, record a
group session's attendance, open a case and write an intervention note. The API
(session-authenticated GETs) is used only to find the worker's groups and cases.

Every write the server acknowledged (a 302 to the new record) is appended to
$LOAD_OUT/acks.jsonl; bench/load.py then checks that each one is in the database.
Every request's time is appended to $LOAD_OUT/samples.csv with the load step it ran
in, for the per-step percentiles of the report.

Load: LOAD_STEPS users ("20,60,120,200"), LOAD_STEP_SECONDS each, then stop.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import re
import time
import urllib.parse
import uuid

from locust import FastHttpUser, LoadTestShape, constant, events, task

OUT = os.environ.get("LOAD_OUT", "var/load")
USERS = json.loads(open(os.environ.get("LOAD_USERS", f"{OUT}/users.json")).read())  # noqa: SIM115
PASSWORD = os.environ["LOAD_PASSWORD"]
STEPS = [int(n) for n in os.environ.get("LOAD_STEPS", "20,60,120,200").split(",")]
STEP_SECONDS = int(os.environ.get("LOAD_STEP_SECONDS", "45"))
# Each user waits a random think time, mean 1/PACE s, after each task (a task is one
# or two requests): independent users, as people at their desks are. A fixed pace
# (`constant_throughput`) synchronises them: a user kept waiting sends its next
# task sooner, so the users bunch into bursts that queue at the workers while the
# CPU idles between them (docs/performance.md, "The load generator's convoys").
PACE = float(os.environ.get("LOAD_PACE", "1"))

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEW_ID = re.compile(r"/(\d+)/$")
# A refused form's messages: field errors and the error alert, not the navigation.
PROBLEM = re.compile(
    r'class="[^"]*(?:invalid-feedback|alert-danger|errorlist)[^"]*"[^>]*>\s*(?:<(?:li|div)>)?\s*([^<]+)'
)


def _selected(page: str, name: str) -> str | None:
    """The value a form's <select name=…> preselects."""
    select = re.search(rf'name="{name}"[^>]*>(.*?)</select>', page, re.S)
    chosen = select and re.search(r'value="([^"]+)"\s+selected', select.group(1))
    return chosen.group(1) if chosen else None


CHECK = "10X98765432"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "秀英桂英玉兰志强建华国庆丽娟淑珍文华伟明海燕春梅"

_usernames = itertools.cycle(USERS)
_step = {"index": 0}
_acks = open(f"{OUT}/acks.jsonl", "a", buffering=1)  # noqa: SIM115
_samples = open(f"{OUT}/samples.csv", "a", buffering=1 << 16)  # noqa: SIM115


@events.request.add_listener
def _sample(request_type, name, response_time, response_length, exception=None, **kwargs):
    ok = 0 if exception else 1
    _samples.write(f"{time.time():.3f},{_step['index']},{name},{response_time:.2f},{ok}\n")


@events.quitting.add_listener
def _close(environment, **kwargs):
    _samples.flush()
    _acks.flush()


# Guangzhou's district codes, the first six digits of a resident's ID number.
DISTRICT_CODES = (
    "440103",
    "440104",
    "440105",
    "440106",
    "440111",
    "440112",
    "440113",
    "440114",
    "440115",
    "440117",
    "440118",
)


def _id_number() -> tuple[str, datetime.date]:
    born = datetime.date(1940, 1, 1) + datetime.timedelta(days=random.randrange(25000))
    area = random.choice(DISTRICT_CODES)
    first17 = f"{area}{born:%Y%m%d}{random.randrange(1000):03d}"
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return first17 + CHECK[total % 11], born


def _ack(**record) -> None:
    _acks.write(json.dumps(record) + "\n")


def _log_in(client, username: str) -> bool:
    """Log in through the real form, as a person does."""
    page = client.get("/accounts/login/", name="log in (form)")
    with client.post(
        "/accounts/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
        },
        name="log in",
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code != 302:
            response.failure(f"log-in refused: {response.status_code}")
            return False
    return True


class HealthCheck(FastHttpUser):
    """Baseline (`bench/load.py` runs it before the day): the stack's ceiling on this
    machine. /healthz goes through gunicorn and Django's middleware and makes one
    database round trip, with no log-in; users ask again as soon as answered."""

    wait_time = constant(0)

    @task
    def health(self):
        self.client.get("/healthz", name="baseline: /healthz")


class CheapestPage(FastHttpUser):
    """Baseline: the cheapest page of the day, as fast as it is answered. The
    register form costs what every logged-in page costs (session, user, menu, a
    form) and two queries; the other pages of the day cost more."""

    wait_time = constant(0)

    def on_start(self):
        _log_in(self.client, next(_usernames))

    @task
    def form(self):
        self.client.get("/residents/new/", name="baseline: register form")


class SocialWorker(FastHttpUser):
    def wait_time(self) -> float:
        """The think time after a task: exponential, mean 1/PACE s."""
        return random.expovariate(PACE)

    def on_start(self):
        self.username = next(_usernames)
        self.groups: dict[int, int] = {}
        self.cases: list[int] = []
        if not _log_in(self.client, self.username):
            return
        groups = self.client.get("/api/groups/", name="api: my groups").json()
        # Groups with sessions left to record, and how many (a full group takes
        # no more: the server refuses the session, as it should).
        self.groups = {
            g["id"]: g["planned_sessions"] - g["sessions_recorded"]
            for g in groups.get("results", [])
            if g["sessions_recorded"] < g["planned_sessions"]
        }
        # The station's calendar: /agenda/ sends the worker to it.
        calendar = self.client.get("/agenda/", name="calendar (redirect)", allow_redirects=False)
        self.calendar = calendar.headers.get("Location") or "/agenda/"
        cases = self.client.get("/api/cases/?page_size=50", name="api: my cases").json()
        self.cases = [
            c["id"]
            for c in cases.get("results", [])
            if c.get("status") in {"planned", "in_service", "reviewed"}
        ]

    def _form(self, url: str, name: str) -> str | None:
        """The form page, or None if the server sends the user elsewhere (e.g. a
        group whose planned sessions are all recorded)."""
        page = self.client.get(url, name=name, allow_redirects=False)
        found = page.status_code == 200 and CSRF.search(page.text or "")
        return page.text if found else None

    def _post(self, url: str, data: dict, name: str) -> int | None:
        """POST a form; the id of the record the redirect points to, or None."""
        with self.client.post(
            url,
            data=urllib.parse.urlencode(data, doseq=True),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                problems = PROBLEM.findall(response.text or "")
                response.failure(f"{response.status_code}: {problems[:3]}")
                return None
            found = NEW_ID.search(response.headers.get("Location", ""))
            return int(found.group(1)) if found else 0

    @task(3)
    def home(self):
        self.client.get("/", name="home (work queues)")

    @task(1)
    def calendar(self):
        self.client.get(self.calendar, name="calendar")

    @task(1)
    def outreach(self):
        self.client.get("/rosters/outreach/", name="outreach list")

    @task(4)
    def caseload(self):
        self.client.get("/cases/", name="caseload")

    @task(2)
    def dashboard(self):
        self.client.get("/stats/", name="dashboard")

    @task(1)
    def register_client(self):
        page = self._form("/residents/new/", "register client (form)")
        if page is None:
            return
        today = datetime.date.today().isoformat()
        # "测" marks the load test's people: a demo resident of the same name (or
        # pinyin) and birth date would be refused as a duplicate, rightly.
        name = random.choice(SURNAMES) + "测" + "".join(random.sample(GIVEN, 2))
        id_number, born = _id_number()
        data = {
            "csrfmiddlewaretoken": CSRF.search(page).group(1),
            "name": name,
            "gender": random.choice(["female", "male"]),
            "birth_date": born.isoformat(),
            "id_number": id_number,
            "phone": f"13{random.randrange(10**9):09d}",
            "address": f"压测路{random.randrange(1000)}号",
            "consent_date": today,
            "lawful_basis": "consent",
            "given_by": "self",
        }
        pk = self._post("/residents/new/", data, "register client")
        if pk:
            _ack(kind="resident", id=pk, name=name)

    @task(1)
    def group_attendance(self):
        if not self.groups:
            return
        group = random.choice(list(self.groups))
        url = f"/services/groups/{group}/sessions/new/"
        page = self._form(url, "group attendance (form)")
        if page is None:
            self.groups.pop(group, None)
            return
        members = re.findall(r'name="attendees" value="(\d+)"', page)[:8]
        title = f"压测 {uuid.uuid4().hex[:12]}"
        data = {
            "csrfmiddlewaretoken": CSRF.search(page).group(1),
            "held_on": datetime.date.today().isoformat(),
            "title": title,
            "attendees": members,
        }
        pk = self._post(url, data, "group attendance")
        self.groups[group] -= 1
        if self.groups[group] <= 0:
            self.groups.pop(group, None)
        if pk:
            _ack(kind="event", id=pk, attendees=len(members), title=title)

    @task(2)
    def case_note(self):
        if not self.cases:
            return
        case = random.choice(self.cases)
        page = self._form(f"/cases/{case}/", "case (open)")
        if page is None:
            return
        version = re.search(r'name="note-version" value="(\d+)"', page)
        if version is None:  # the case moved on (closed, referred): not a note any more
            self.cases.remove(case)
            return
        marker = uuid.uuid4().hex
        data = {
            "csrfmiddlewaretoken": CSRF.search(page).group(1),
            "note-version": version.group(1),
            "note-happened_on": datetime.date.today().isoformat(),
            "note-method": "home_visit",
            # The type the form preselects for the client (priority or general).
            "note-service_type": _selected(page, "note-service_type") or "supportive",
            "note-text": f"上门探访，情况稳定。{marker}",
        }
        if self._post(f"/cases/{case}/note/", data, "case note") is not None:
            _ack(kind="note", case=case, marker=marker)


class Steps(LoadTestShape):
    """LOAD_STEPS users, LOAD_STEP_SECONDS each, then stop."""

    def tick(self):
        elapsed = self.get_run_time()
        index = int(elapsed // STEP_SECONDS)
        if index >= len(STEPS):
            return None
        _step["index"] = index
        users = STEPS[index]
        return users, max(users / 5, 5)
