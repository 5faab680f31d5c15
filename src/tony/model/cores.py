"""How many cores other processes leave free, so that llama.cpp takes its fair share of a busy machine.

llama.cpp splits each matrix product evenly over its threads; when another process is busy on one of them, every
step waits for the slowest thread and speed collapses far below the share of the machine that is free. The
provider therefore runs as many threads as there are cores nobody else is busy on, measured between its calls:
the machine's busy time (Linux `/proc/stat`) less this process's own CPU time, over the time since the last call.
Where `/proc/stat` cannot be read, the 1-minute load average stands in for it.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

PROC_STAT = "/proc/stat"


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity, where the platform has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class CpuSample:
    """The machine's busy and total CPU time (seconds, summed over cores), this process's CPU time, and when."""

    busy: float
    total: float
    own: float
    at: float


def read_machine_times(path: str = PROC_STAT) -> tuple[float, float] | None:
    """(busy, total) CPU seconds of the whole machine from /proc/stat, or None where there is none."""
    try:
        with open(path, encoding="ascii") as handle:
            fields = handle.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    ticks = [int(value) for value in fields[1:9]]  # user nice system idle iowait irq softirq steal
    per_second = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    idle = ticks[3] + ticks[4]
    return (sum(ticks) - idle) / per_second, sum(ticks) / per_second


def sample(path: str = PROC_STAT) -> CpuSample | None:
    machine = read_machine_times(path)
    if machine is None:
        return None
    own = os.times()
    return CpuSample(machine[0], machine[1], own.user + own.system, time.monotonic())


def busy_elsewhere(before: CpuSample, after: CpuSample) -> float:
    """Cores kept busy by other processes between two samples, anywhere on the machine."""
    elapsed = after.at - before.at
    total = after.total - before.total
    if total <= 0 or elapsed <= 0:
        return 0.0
    machine_cores = os.cpu_count() or 1
    busy = (after.busy - before.busy) / total * machine_cores
    own = (after.own - before.own) / elapsed
    return max(0.0, busy - own)


def free_cores_from(elsewhere: float, cores: int, machine_cores: int | None = None) -> int:
    """Threads to run: the machine's cores less those busy elsewhere (a core more than half busy counts as busy),
    no more than this process may use, at least 1. When every core is contended, all usable cores: no thread of
    ours then has a core to itself while the others wait for it, and the scheduler's share grows with threads."""
    machine_cores = machine_cores or os.cpu_count() or cores
    busy = round(elsewhere + 0.01)
    if busy >= machine_cores:
        return cores
    return max(1, min(cores, machine_cores - busy))


class CoreMonitor:
    """Free cores, measured over the time since the previous question (the first answer: since it was made)."""

    MIN_INTERVAL_S = 0.05  # shorter intervals say too little; the previous answer stands

    def __init__(self, path: str = PROC_STAT) -> None:
        self.path = path
        self.cores = usable_cores()
        self.last = sample(path)
        self.answer = self._from_load_average()

    def free_cores(self) -> int:
        now = sample(self.path)
        if now is None or self.last is None:
            return self._from_load_average()
        if now.at - self.last.at >= self.MIN_INTERVAL_S:
            self.answer = free_cores_from(busy_elsewhere(self.last, now), self.cores)
            self.last = now
        return self.answer

    def _from_load_average(self) -> int:
        try:
            load = os.getloadavg()[0]
        except (AttributeError, OSError):
            return self.cores
        return free_cores_from(load, self.cores)
