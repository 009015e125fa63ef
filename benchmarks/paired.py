"""Time two shell commands as whole processes, in turn (A B A B ...), and print each one's
wall and CPU seconds (min, median, max) and the pairwise ratio A/B. Pairing keeps the
ratio meaningful when the machine's speed drifts during the measurement."""

from __future__ import annotations

import resource
import statistics
import subprocess
import time


def _once(command: str) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(["sh", "-c", command], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def paired(command_a: str, command_b: str, runs: int, warmup: int = 1) -> dict[str, list]:
    for _ in range(warmup):
        _once(command_a)
        _once(command_b)
    got: dict[str, list] = {"a_wall": [], "a_cpu": [], "b_wall": [], "b_cpu": []}
    for _ in range(runs):
        for side, command in (("a", command_a), ("b", command_b)):
            wall, cpu = _once(command)
            got[f"{side}_wall"].append(wall)
            got[f"{side}_cpu"].append(cpu)
    return got


def report(got: dict[str, list]) -> str:
    def spread(values: list[float], digits: int = 3) -> str:
        return (f"{min(values):.{digits}f} {statistics.median(values):.{digits}f} "
                f"{max(values):.{digits}f}")

    lines = ["                min    median max"]
    for key in ("a_wall", "a_cpu", "b_wall", "b_cpu"):
        lines.append(f"{key.replace('_', ' '):14s}  {spread(got[key])}")
    for kind in ("wall", "cpu"):
        ratios = [a / b for a, b in zip(got[f"a_{kind}"], got[f"b_{kind}"], strict=True)]
        lines.append(f"A/B {kind:10s}  {spread(ratios, 4)}")
    return "\n".join(lines)
