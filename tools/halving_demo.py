"""Drive demo applications through a running platform and print the halving report (减材料、减时限).

    make run                      # in another terminal: the platform with its demo data
    .venv/bin/python tools/halving_demo.py [--gateway http://127.0.0.1:8000] [--rounds 1]

The demo residents apply online for 区民政局's items (bringing what the licence library does not
hold for them: the apply page's prefill says which), and the window clerk receives the same items
for them at the district centre (fetching from the library what it holds); 区民政局 accepts, decides
and completes each case. Then catalog-svc's halving report (GET /api/catalog/v1/reports/halving,
from intake's events) is printed for those items: materials the catalogue lists and requires
against what applicants actually brought, and promised against actual time. Everything goes
through the gateway as a client would; nothing is written into a database directly.
"""

from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from typing import Any

import httpx

PASSWORD = "Demo#2026"
CITIZENS = {"13810000001": "张伟", "13810000002": "李娜", "13810000003": "王芳", "13810000004": "赵秀兰"}
ITEMS = ("城乡最低生活保障对象认定", "特困人员认定", "城乡低收入家庭认定", "高龄老年人津贴")
IN = "/api/intake/v1"


class Demo:
    """A client of the gateway logging in as the demo accounts."""

    def __init__(self, gateway: str) -> None:
        self.http = httpx.Client(base_url=gateway, timeout=30)

    def headers(self, username: str) -> dict[str, str]:
        """A fresh bearer header for a demo account."""
        resp = self.http.post(
            "/api/identity/v1/auth/login", json={"username": username, "password": PASSWORD}
        )
        resp.raise_for_status()
        return {"Authorization": f"Bearer {resp.json()['access_token']}"}

    def call(self, method: str, path: str, user: str, body: Any = None, **params: Any) -> dict[str, Any]:
        """One call as `user`; stops with the problem when it fails."""
        resp = self.http.request(method, path, json=body, params=params or None, headers=self.headers(user))
        if resp.status_code >= 400:
            raise SystemExit(f"{method} {path} as {user}: {resp.status_code} {resp.text[:400]}")
        return dict(resp.json())

    def item(self, name: str) -> dict[str, Any]:
        """The item in force called `name`, as intake has it."""
        offset = 0
        while True:
            page = self.http.get(f"{IN}/catalog-items", params={"limit": 200, "offset": offset}).json()
            for item in page["items"]:
                if item["name"] == name:
                    return dict(self.http.get(f"{IN}/catalog-items/{item['code']}").json())
            offset += len(page["items"])
            if not page["items"] or offset >= page["total"]:
                raise SystemExit(f"{name} is not in intake's catalogue: is `make run` up with its demo data?")


def brought(item: dict[str, Any], held: set[str]) -> list[dict[str, Any]]:
    """The required materials the applicant hands in on paper: neither exempt nor held by the library."""
    return [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in item["elements"]["materials"]
        if m.get("requirement") == "required" and not m.get("exempt") and m["name"] not in held
    ]


def online(demo: Demo, phone: str, item: dict[str, Any]) -> dict[str, Any]:
    """The resident applies online, bringing what the prefill says the library does not hold."""
    prefill = demo.call("GET", f"{IN}/catalog-items/{item['code']}/prefill", phone)
    held = {m["material"] for m in prefill["held_materials"]}
    body = {"item_code": item["code"], "form": prefill["values"], "materials": brought(item, held)}
    return demo.call("POST", f"{IN}/applications", phone, body)


def at_the_window(demo: Demo, phone: str, item: dict[str, Any]) -> dict[str, Any]:
    """The clerk receives the resident's application and fetches what the library holds."""
    # The resident need not have opened the library: it knows them by identity's key (ADR 0014).
    me = demo.call("GET", "/api/identity/v1/me", phone)["account"]
    materials = brought(
        item, {m["name"] for m in item["elements"]["materials"] if m.get("licence_type_code")}
    )
    case = demo.call(
        "POST",
        f"{IN}/applications",
        "clerk",
        {"item_code": item["code"], "applicant": {"id": me["id"]}, "materials": materials},
    )
    case = demo.call("POST", f"{IN}/applications/{case['id']}/licence-fetches", "clerk")
    if case["problems"]:  # what the library did not hold: one notice, and the applicant brings it
        missing = [p["material"] for p in case["problems"] if p["problem"] == "missing"]
        extra = [m for m in brought(item, set()) if m["name"] in missing]
        demo.call("POST", f"{IN}/applications/{case['id']}/notice", "clerk", {})
        case = demo.call("POST", f"{IN}/applications/{case['id']}/resubmit", "clerk", {"materials": extra})
    return case


def decide(demo: Demo, case: dict[str, Any]) -> str:
    """区民政局 accepts (online cases; the clerk those it received), decides and completes the case."""
    path = f"{IN}/applications/{case['id']}"
    if case["status"] in ("completed", "delivered"):
        return case["status"]  # 秒批
    if case["problems"]:
        return f"waiting for {len(case['problems'])} material(s)"
    accepting = "clerk" if case["channel"] == "window" else "approver"
    if case["status"] == "submitted":
        demo.call("POST", f"{path}/accept", accepting, {})
        demo.call("POST", f"{path}/hand-over", accepting, {})
    if case["item_name"] == "高龄老年人津贴" and case["applicant_name"] != "赵秀兰":
        demo.call("POST", f"{path}/refuse", "approver", {"reasons": "申请人未满80周岁，不符合发放条件。"})
        result = "不予发放决定书"
    else:
        demo.call("POST", f"{path}/approve", "approver", {"reasons": "经审核符合条件"})
        result = f"{case['item_name']}决定书"
    return str(demo.call("POST", f"{path}/complete", "approver", {"result_name": result})["status"])


def pad(text: str, width: int) -> str:
    """`text` left-aligned in `width` columns, a Chinese character taking two."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


def print_report(report: dict[str, Any], names: set[str]) -> None:
    """The report's lines for the demo's items, side by side."""
    print(f"\nhalving report (last {report['days']} days), generated {report['generated_at']}")
    titles = ("listed", "required", "apps", "brought", "补正%", "补正件", "promised", "done", "median", "p90")
    widths = (6, 8, 5, 8, 6, 6, 8, 5, 7, 6)
    print(pad("item", 26) + " " + " ".join(f"{t:>{w}}" for t, w in zip(titles, widths, strict=True)))
    for row in report["by_item"]:
        if row["item_name"] not in names:
            continue
        cells = [
            row["materials_listed"],
            row["materials_required"],
            row["applications"],
            "—" if row["materials_brought_mean"] is None else f"{row['materials_brought_mean']:.2f}",
            "—" if row.get("corrected_share") is None else f"{row['corrected_share'] * 100:.0f}",
            "—"
            if row.get("correction_materials_mean") is None
            else f"{row['correction_materials_mean']:.2f}",
            row["promised_days"] if row["promised_days"] is not None else "—",
            row["completed"],
            "—" if row["days_taken_median"] is None else f"{row['days_taken_median']:.1f}",
            "—" if row["days_taken_p90"] is None else f"{row['days_taken_p90']:.1f}",
        ]
        print(
            f"{row['item_name']:<22} " + " ".join(f"{c!s:>{w}}" for c, w in zip(cells, widths, strict=True))
        )


def main(argv: list[str]) -> int:
    """Apply, decide, and print the halving report."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--rounds", type=int, default=1, help="how many times each resident applies each way")
    args = parser.parse_args(argv)
    demo = Demo(args.gateway)
    items = [demo.item(name) for name in ITEMS]
    for _ in range(args.rounds):
        for item in items:
            for phone, name in CITIZENS.items():
                for way, apply in (("online", online), ("window", at_the_window)):
                    case = apply(demo, phone, item)
                    outcome = decide(demo, case)
                    print(
                        f"{pad(item['name'], 26)} {pad(name, 6)} {way:<7} {case['application_no']} {outcome}"
                    )
    time.sleep(3)  # intake's events reach catalog-svc over NATS
    report = dict(demo.http.get("/api/catalog/v1/reports/halving", params={"days": 30}).json())
    print_report(report, set(ITEMS))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
