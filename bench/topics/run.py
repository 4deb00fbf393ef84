"""Hot-topic clustering benchmark: how well hotline's topics agree with the true topics of labelled
tickets, beside naive groupings, on samples the clustering was not tuned on.

  .venv/bin/python bench/topics/run.py                  # 5 held-out samples, ~1,800 tickets each
  .venv/bin/python bench/topics/run.py --seeds 1 2 3 --json /tmp/topics.json

1. Samples: `hotline.demo.history.generate` with seeds other than the demo's (2026, the one the
   similarity threshold was chosen on): a year of tickets about ten everyday topics (夜间施工噪音,
   广场舞噪音, 占道经营, 供暖不热, 垃圾清运不及时, 停车难, 电梯故障, 停水水压低, 电动车楼道充电,
   社保卡补办) across the three demo streets, each text drawn from several titles and wordings,
   half of them with a sentence callers add whatever the matter (物业说这事不归他们管 …), each
   ticket labelled with its true topic. No planted rise.
2. Methods, each over the same tickets in time order:
   - **hotline** — `hotline.services.topic_model.TopicModel` exactly as the pass runs it (jieba
     words, TF-IDF, single-pass clustering) at the service's default threshold, and at two others
     to show how much the choice matters;
   - **top keyword** (naive) — each ticket grouped by its single most telling word (its heaviest
     TF-IDF term over the sample);
   - **category** (naive) — grouped by the request category the agent chose (noise, property …),
     what the desk has without any text analysis.
3. Figures: adjusted Rand index (1 = the true grouping, about 0 = chance; Hubert and Arabie 1985),
   purity (share of tickets whose group's most common true topic is their own; it rewards many
   small groups, so read it with the group count), groups found (true: 10), and CPU µs per ticket.
   Each is the mean over the samples, with the worst sample's ARI.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "hotline-svc" / "src"))
sys.path.insert(0, str(REPO / "shared" / "src"))

from hotline.config import Settings  # noqa: E402
from hotline.demo.history import DemoTicket, generate  # noqa: E402
from hotline.services.topic_model import TopicModel, adjusted_rand_index, purity, ticket_terms  # noqa: E402
from yiwang_shared.chinese_text import warm_up  # noqa: E402

NOW = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
Method = Callable[[list[DemoTicket]], list[str]]


def hotline(threshold: float) -> Method:
    """The service's clustering at `threshold`."""

    def run(tickets: list[DemoTicket]) -> list[str]:
        model = TopicModel(0, {}, [], threshold=threshold)
        return [model.assign(t.row["title"], t.row["description"])[0].id for t in tickets]

    return run


def top_keyword(tickets: list[DemoTicket]) -> list[str]:
    """Each ticket's heaviest TF-IDF term over the sample."""
    model = TopicModel(0, {}, [], threshold=1.0)
    counts = [ticket_terms(t.row["title"], t.row["description"]) for t in tickets]
    for c in counts:
        model.observe(c)
    out = []
    for c in counts:
        v = model.vector(c)
        out.append(max(v.items(), key=lambda kv: (kv[1], kv[0]))[0] if v else "")
    return out


def category(tickets: list[DemoTicket]) -> list[str]:
    """The category the agent chose."""
    return [str(t.row["category_code"]) for t in tickets]


def measure(method: Method, tickets: list[DemoTicket]) -> dict[str, float]:
    """ARI, purity, groups and CPU µs per ticket of one method on one sample."""
    start = time.process_time()
    found = method(tickets)
    cpu = time.process_time() - start
    truth = [t.topic for t in tickets]
    return {
        "ari": adjusted_rand_index(truth, found),
        "purity": purity(truth, found),
        "groups": len(set(found)),
        "us_per_ticket": cpu / len(tickets) * 1e6,
    }


def main(argv: list[str] | None = None) -> int:
    """Run every method on every sample and print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures here.")
    args = parser.parse_args(argv)
    warm_up()
    default = Settings().topic_similarity
    methods: dict[str, Method] = {
        f"hotline, threshold {default} (service default)": hotline(default),
        "hotline, threshold 0.15": hotline(0.15),
        "hotline, threshold 0.40": hotline(0.40),
        "top keyword (naive)": top_keyword,
        "category (naive)": category,
    }
    samples = [generate(NOW, seed=s, planted=False) for s in args.seeds]
    sizes = [len(s) for s in samples]
    true_topics = Counter(t.topic for s in samples for t in s)
    results: dict[str, list[dict[str, float]]] = {
        name: [measure(m, s) for s in samples] for name, m in methods.items()
    }
    print(
        f"Held-out samples: seeds {args.seeds}, {min(sizes)}–{max(sizes)} tickets each, "
        f"{len(true_topics)} true topics\n"
    )
    print("| method | ARI (mean) | ARI (worst sample) | purity | groups (true 10) | CPU µs / ticket |")
    print("| --- | --- | --- | --- | --- | --- |")
    table: dict[str, Any] = {}
    for name, rows in results.items():
        row = {
            "ari": statistics.mean(r["ari"] for r in rows),
            "ari_worst": min(r["ari"] for r in rows),
            "purity": statistics.mean(r["purity"] for r in rows),
            "groups": statistics.mean(r["groups"] for r in rows),
            "us_per_ticket": statistics.median(r["us_per_ticket"] for r in rows),
        }
        table[name] = row
        print(
            f"| {name} | {row['ari']:.3f} | {row['ari_worst']:.3f} | {row['purity']:.3f} | "
            f"{row['groups']:.1f} | {row['us_per_ticket']:.0f} |"
        )
    if args.json:
        args.json.write_text(json.dumps({"seeds": args.seeds, "sizes": sizes, "methods": table}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
