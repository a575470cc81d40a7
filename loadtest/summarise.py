"""Print the figures of a ``make load`` run (loadtest/run.sh) as Markdown: per page and in total,
throughput, p50/p95/p99 and failures, for the baseline and for the run during imports; and how much
CPU the rest of the machine used meanwhile (from ``top``), since other work on it skews the figures."""

from __future__ import annotations

import csv
import os
import re
import statistics
import sys
from pathlib import Path

RUNS = [("baseline", "baseline"), ("during-import", "during 100,000-row imports")]


def rows(path: Path) -> list[dict]:
    with path.open(newline="") as stats:
        return [row for row in csv.DictReader(stats) if row["Name"]]


def cpu_of_others(path: Path, ours: list[str]) -> tuple[float, float, float]:
    """Mean %CPU (100 = one core) of the load test's processes, of PostgreSQL's shared ones
    (checkpointer, WAL writer, autovacuum), and of everything else, over ``top``'s samples."""
    samples = path.read_text(errors="replace").split("top - ")[2:]  # the first sample covers no interval
    totals: dict[str, list[float]] = {"ours": [], "postgres": [], "others": []}
    for sample in samples:
        used = dict.fromkeys(totals, 0.0)
        processes = [line.split(None, 11) for line in sample.splitlines()]
        processes = [fields for fields in processes if len(fields) == 12 and fields[0].isdigit()]
        commands = {fields[0]: fields[11] for fields in processes}
        for fields in processes:
            cpu, command = float(fields[8]), fields[11]
            leader = re.search(r"parallel worker for PID (\d+)", command)
            if leader:  # a PostgreSQL parallel worker works for the session that started it
                command = commands.get(leader.group(1), command)
            if any(marker in command for marker in ours):
                used["ours"] += cpu
            elif command.startswith("postgres: ") and command.count(" ") <= 4:
                used["postgres"] += cpu
            else:
                used["others"] += cpu
        for key, value in used.items():
            totals[key].append(value)
    return tuple(
        statistics.fmean(totals[key]) if totals[key] else 0.0 for key in ("ours", "postgres", "others")
    )


def main(out: Path) -> None:
    conditions = dict(
        pair.split("=", 1) for pair in (out / "conditions.txt").read_text().split() if "=" in pair
    )
    ours = [conditions.get("address", "?"), conditions.get("database", "?"), "bench_import", "top -b"]
    print(
        f"{os.cpu_count()} cores; 1-minute load average before the runs: baseline "
        f"{conditions.get('baseline_load')}, during imports {conditions.get('import_load')} "
        f"(imports at nice {conditions.get('import_nice', 0)})\n"
    )
    print("| run | page | requests | failures | req/s | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for stem, label in RUNS:
        path = out / f"{stem}_stats.csv"
        if not path.exists():
            continue
        for row in rows(path):
            if row["Request Count"] == "0":
                continue
            name = "**all requests**" if row["Name"] == "Aggregated" else f"`{row['Name']}`"
            print(
                f"| {label} | {name} | {row['Request Count']} | {row['Failure Count']} | "
                f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} | "
                f"{float(row['Max Response Time']):.0f} |"
            )
    print()
    for stem, label in RUNS:
        top = out / f"{stem}-top.log"
        if top.exists():
            mine, postgres, others = cpu_of_others(top, ours)
            print(
                f"- {label}: CPU in use, 100 % = one core: the load test {mine:.0f} % (gunicorn, its "
                f"PostgreSQL sessions, locust, imports), PostgreSQL's own {postgres:.0f} %, "
                f"everything else on the machine {others:.0f} %"
            )
    imports = out / "imports.log"
    if imports.exists():
        totals = re.findall(r"import total ([\d.]+) s", imports.read_text())
        print(f"- imports completed during the run: {len(totals)} (import total, s: {', '.join(totals)})")
    for path in (out / "baseline_failures.csv", out / "during-import_failures.csv"):
        if path.exists() and len(path.read_text().splitlines()) > 1:
            print(f"\nfailures ({path.name}):\n{path.read_text()}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/budget-load"))
