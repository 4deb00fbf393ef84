"""The Grafana dashboard and the alert rules ask only for metrics the code exposes.

The metrics are read from the source (every `Counter(...)`, `Gauge(...)`, `Histogram(...)` and
`*MetricFamily(...)` call with a literal name in shared/, the services and the gateway), with the
names Prometheus sees (`_total`, `_bucket`/`_sum`/`_count`) and their labels. Every metric name in
a PromQL expression must be one of them (or a standard one Prometheus or prometheus_client adds),
and every label matcher on it must name one of its labels.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from functools import cache

import pytest
from manifests import ROOT, load_yaml

DASHBOARD = ROOT / "deploy" / "grafana" / "yiwang.json"
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"
SOURCES = [
    ROOT / "shared" / "src",
    ROOT / "gateway" / "src",
    *(p / "src" for p in sorted(ROOT.glob("*-svc"))),
]

#: Labels the scrape adds to every series (kubernetes-pods job).
SCRAPE_LABELS = frozenset({"job", "instance", "namespace", "pod", "container", "le"})
#: Series Prometheus itself or prometheus_client's default collectors provide.
STANDARD: dict[str, frozenset[str]] = {
    "up": frozenset(),
    "process_resident_memory_bytes": frozenset(),
    "process_cpu_seconds_total": frozenset(),
}
PROMQL_WORDS = frozenset(
    {
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
        "bool",
        "and",
        "or",
        "unless",
        "offset",
        "inf",
        "nan",
    }
)
REQUIRED_ALERTS = {
    "outbox backlog age": "yiwang_outbox_oldest_age_seconds",
    "consumer lag": "yiwang_consumer_pending",
    "dead-lettered messages": "yiwang_events_dead_lettered_total",
    "5xx rate": "yiwang_gateway_requests_total",
    "p95 latency": "yiwang_gateway_request_duration_seconds_bucket",
    "red supervision cases": "yiwang_intake_cases",
    "overdue tickets": "yiwang_hotline_tickets_overdue",
}

_CLIENT = {"Counter": "counter", "Gauge": "gauge", "Histogram": "histogram", "Summary": "summary"}
_FAMILY = {
    "CounterMetricFamily": "counter",
    "GaugeMetricFamily": "gauge",
    "HistogramMetricFamily": "histogram",
    "SummaryMetricFamily": "summary",
}


@dataclass(frozen=True)
class Metric:
    """A metric family defined in the code."""

    name: str
    kind: str
    labels: frozenset[str]
    where: str

    def series(self) -> set[str]:
        """The names Prometheus stores for it."""
        base = self.name.removesuffix("_total") if self.kind == "counter" else self.name
        if self.kind == "counter":
            return {base + "_total", base + "_created"}
        if self.kind == "histogram":
            return {base + "_bucket", base + "_sum", base + "_count", base + "_created"}
        if self.kind == "summary":
            return {base, base + "_sum", base + "_count", base + "_created"}
        return {base}


def _literal_strings(node: ast.AST | None) -> list[str] | None:
    if isinstance(node, ast.List | ast.Tuple):
        values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        return values if len(values) == len(node.elts) else None
    return None


@cache
def code_metrics() -> dict[str, Metric]:
    """Every series name the code exposes → its metric."""
    found: dict[str, Metric] = {}
    for source in SOURCES:
        for path in source.rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                called = (
                    func.id
                    if isinstance(func, ast.Name)
                    else func.attr
                    if isinstance(func, ast.Attribute)
                    else ""
                )
                kind = _CLIENT.get(called) or _FAMILY.get(called)
                if kind is None:
                    continue
                kwargs = {k.arg: k.value for k in node.keywords if k.arg}
                name_node = node.args[0] if node.args else kwargs.get("name")
                if not (isinstance(name_node, ast.Constant) and isinstance(name_node.value, str)):
                    continue
                if called in _CLIENT:
                    label_node = node.args[2] if len(node.args) > 2 else kwargs.get("labelnames")
                else:
                    label_node = kwargs.get("labels")
                labels = _literal_strings(label_node) or []
                metric = Metric(
                    name_node.value, kind, frozenset(labels), f"{path.relative_to(ROOT)}:{node.lineno}"
                )
                for series in metric.series():
                    found[series] = metric
    return found


def test_the_code_defines_the_metrics_we_know() -> None:
    """The scan works: the shared and gateway metrics are found with their labels."""
    metrics = code_metrics()
    assert metrics["yiwang_http_requests_total"].labels == {"service", "method", "route", "status"}
    assert metrics["yiwang_gateway_requests_total"].labels == {"service", "method", "status"}
    assert "yiwang_gateway_request_duration_seconds_bucket" in metrics
    assert metrics["yiwang_outbox_oldest_age_seconds"].kind == "gauge"


_STRING = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'')
_SELECTOR = re.compile(r"([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{([^}]*)\}")
_GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_IDENT = re.compile(r"(?<![\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w])")


def promql_selectors(expr: str) -> list[tuple[str, set[str]]]:
    """(metric name, label names matched on it) for every series selector in a PromQL expression."""
    expr = re.sub(r"\$\{?\w+\}?", "1m", expr)  # Grafana variables ($__rate_interval, ${datasource})
    out: list[tuple[str, set[str]]] = []
    for m in _SELECTOR.finditer(expr):
        matchers = _STRING.sub('""', m.group(2))
        labels = {part.split("=")[0].split("!")[0].strip() for part in matchers.split(",") if part.strip()}
        if m.group(1):
            out.append((m.group(1), {label.rstrip("~") for label in labels}))
    rest = _SELECTOR.sub(lambda m: (m.group(1) or "") + " ", _STRING.sub('""', expr))
    rest = _GROUPING.sub(" ", rest)
    rest = re.sub(r"\[[^\]]*\]", " ", rest)  # range and subquery durations
    for m in _IDENT.finditer(rest):
        word = m.group(1)
        following = rest[m.end() :].lstrip()[:1]
        if following == "(" or word.lower() in PROMQL_WORDS or re.fullmatch(r"\d.*", word):
            continue
        if not any(word == name for name, _ in out):
            out.append((word, set()))
    return out


def test_the_promql_reader_finds_names_and_labels() -> None:
    expr = 'sum by (service) (rate(a_total{status=~"5.."}[5m])) / ignoring(x) b{service="x"} > 0.02'
    assert promql_selectors(expr) == [
        ("a_total", {"status"}),
        ("b", {"service"}),
    ]
    assert promql_selectors("histogram_quantile(0.95, sum by (le) (rate(c_bucket[$__rate_interval])))") == [
        ("c_bucket", set())
    ]


def _check(expr: str, where: str) -> list[str]:
    problems = []
    metrics = code_metrics()
    for name, labels in promql_selectors(expr):
        if name in STANDARD:
            known = STANDARD[name] | SCRAPE_LABELS
        elif name in metrics:
            known = metrics[name].labels | SCRAPE_LABELS
        else:
            problems.append(f"{where}: no metric {name} in the code")
            continue
        for label in labels - known:
            problems.append(f"{where}: {name} has no label {label!r}")
    return problems


@cache
def dashboard_exprs() -> list[tuple[str, str]]:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    exprs = []
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            exprs.append((f"panel {panel['title']!r}", target["expr"]))
    return exprs


def test_dashboard_is_a_grafana_dashboard() -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert dashboard["uid"] and dashboard["title"] and dashboard["schemaVersion"] >= 36
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids)), "panel ids are unique"
    for panel in dashboard["panels"]:
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24, panel["title"]
        if panel["type"] != "row":
            assert panel["targets"] and panel["datasource"]["uid"] == "${datasource}", panel["title"]
    assert [v["name"] for v in dashboard["templating"]["list"]] == ["datasource"]


def test_dashboard_queries_only_metrics_the_code_exposes() -> None:
    problems = [p for where, expr in dashboard_exprs() for p in _check(expr, where)]
    assert not problems, "\n".join(problems)


def test_dashboard_shows_every_platform_metric() -> None:
    """Every metric of shared/ and the gateway has a panel (a forgotten one goes unseen)."""
    shown = {name for _, expr in dashboard_exprs() for name, _ in promql_selectors(expr)}
    platform = {m.name: m for m in code_metrics().values() if m.where.startswith(("shared/", "gateway/"))}
    missing = sorted(name for name, metric in platform.items() if not metric.series() & shown)
    assert not missing, f"no panel uses {missing}"


@cache
def alert_rules() -> list[dict]:
    data = load_yaml(ALERTS)
    return [rule for group in data["groups"] for rule in group["rules"]]


def test_alert_rules_are_well_formed() -> None:
    data = load_yaml(ALERTS)
    assert set(data) == {"groups"}
    names = [r["alert"] for r in alert_rules()]
    assert len(names) == len(set(names))
    for rule in alert_rules():
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations", "keep_firing_for"}, rule[
            "alert"
        ]
        assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
        meaning = rule["annotations"]["meaning"]
        assert meaning and "\n" not in meaning and "{{" not in meaning, rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        if "for" in rule:
            assert re.fullmatch(r"\d+[smh]", rule["for"]), rule["alert"]


def test_alert_rules_query_only_metrics_the_code_exposes() -> None:
    problems = [p for rule in alert_rules() for p in _check(rule["expr"], rule["alert"])]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("topic", sorted(REQUIRED_ALERTS))
def test_every_required_alert_exists(topic: str) -> None:
    metric = REQUIRED_ALERTS[topic]
    assert any(metric in {name for name, _ in promql_selectors(rule["expr"])} for rule in alert_rules()), (
        f"no alert on {topic} ({metric})"
    )


def test_runbook_explains_every_alert() -> None:
    text = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Alerts") :]
    section = section[: section.index("\n## ", 4)] if "\n## " in section[4:] else section
    for rule in alert_rules():
        assert f"`{rule['alert']}`" in section, f"deploy/README.md does not explain {rule['alert']}"
        assert rule["annotations"]["meaning"] in section, f"{rule['alert']}: the runbook's meaning differs"
