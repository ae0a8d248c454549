"""Benchmark of 综合查一次 planning: merge a district-scale year of inspection tasks into visits.

    PYTHONPATH=src .venv/bin/python bench/planning.py [--tasks 200000] [--parties 50000] [--seed 2026]

Generates (seeded) tasks of several departments on random parties, each with a window of 5–60
days inside one year, times ``plan_joint_inspections`` and prints tasks, visits, savings and
seconds — once on all days and once on working days only (chinese_calendar). Target: < 10 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

from zhifa.core.workdays import is_workday
from zhifa.inspections.rules import InspectionTask, plan_joint_inspections

DEPARTMENTS = ["市场监管", "生态环境", "交通运输", "卫生健康", "应急管理", "综合执法"]
YEAR_START = dt.date(2026, 1, 1)


def generate_tasks(n_tasks: int, n_parties: int, seed: int) -> list[InspectionTask]:
    rng = random.Random(seed)
    tasks = []
    for task_id in range(n_tasks):
        length = rng.randint(5, 60)
        start = rng.randint(0, 365 - length)
        tasks.append(
            InspectionTask(
                task_id=task_id,
                party_id=rng.randrange(n_parties),
                department_id=rng.choice(DEPARTMENTS),
                window_start=YEAR_START + dt.timedelta(days=start),
                window_end=YEAR_START + dt.timedelta(days=start + length - 1),
            )
        )
    return tasks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200_000)
    parser.add_argument("--parties", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    started = time.perf_counter()
    tasks = generate_tasks(args.tasks, args.parties, args.seed)
    print(
        f"generated {len(tasks):,} tasks over {args.parties:,} parties in {time.perf_counter() - started:.2f} s\n"
    )

    rows = []
    for label, allowed in (("all days", None), ("working days", is_workday)):
        started = time.perf_counter()
        plan = plan_joint_inspections(tasks, allowed_day=allowed)
        seconds = time.perf_counter() - started
        rows.append((label, plan, seconds))

    print(
        f"{'visit days':<14}{'tasks':>10}{'visits':>10}{'saved':>10}{'saved %':>9}{'unsched.':>10}{'seconds':>9}"
    )
    for label, plan, seconds in rows:
        share = plan.saved_total / plan.tasks_count * 100 if plan.tasks_count else 0
        print(
            f"{label:<14}{plan.tasks_count:>10,}{plan.visits_count:>10,}{plan.saved_total:>10,}"
            f"{share:>8.1f}%{len(plan.unscheduled):>10,}{seconds:>9.2f}"
        )

    print("\nsaved by department (all days):")
    for department, saved in rows[0][1].saved_by_department.items():
        print(f"  {department:<8}{saved:>8,}")


if __name__ == "__main__":
    main()
