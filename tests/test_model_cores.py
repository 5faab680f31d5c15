"""Threads for the embedded model from the cores other processes leave free."""

from __future__ import annotations

import os

import pytest

from tony.model import cores
from tony.model.cores import CoreMonitor, CpuSample, busy_elsewhere, free_cores_from, read_machine_times


def test_free_cores_leave_room_for_busy_processes():
    assert free_cores_from(0.0, 2, 2) == 2
    assert free_cores_from(0.3, 2, 2) == 2
    assert free_cores_from(1.0, 2, 2) == 1  # one competing busy process on 2 cores: 1 thread
    assert free_cores_from(0.6, 2, 2) == 1  # a core more than half busy counts as busy
    assert free_cores_from(1.6, 2, 2) == 2  # every core contended: threads compete for their share
    assert free_cores_from(7.0, 2, 2) == 2
    assert free_cores_from(3.0, 4, 4) == 1  # never fewer than one
    assert free_cores_from(14.0, 2, 16) == 2  # busy elsewhere on a big machine: this process's 2 cores are free


def test_busy_elsewhere_subtracts_this_process():
    before = CpuSample(busy=10.0, total=20.0, own=1.0, at=100.0)
    # 1 s on a 2-core machine: both cores busy, 1.2 core-seconds of them this process's own
    after = CpuSample(busy=12.0, total=22.0, own=2.2, at=101.0)
    machine = os.cpu_count()
    assert busy_elsewhere(before, after) == pytest.approx(2.0 / 2.0 * machine - 1.2)


def test_monitor_reads_proc_stat(tmp_path, monkeypatch):
    stat = tmp_path / "stat"
    monkeypatch.setattr(cores.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cores, "usable_cores", lambda: 2)
    ticks = os.sysconf("SC_CLK_TCK")
    clock = iter([0.0, 1.0, 2.0])
    own = iter([0.0, 0.0, 0.5])  # this process: idle, then half a core busy
    monkeypatch.setattr(cores.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(cores.os, "times", lambda: os.times_result((next(own), 0.0, 0.0, 0.0, 0.0)))

    def write(busy_s: float, idle_s: float) -> None:
        stat.write_text(f"cpu {int(busy_s * ticks)} 0 0 {int(idle_s * ticks)} 0 0 0 0 0 0\n")

    write(0, 0)
    monitor = CoreMonitor(str(stat))
    write(1.0, 1.0)  # second 1: one core busy, not this process's doing
    assert monitor.free_cores() == 1
    write(1.5, 2.5)  # second 2: half a core busy, all of it this process's
    assert monitor.free_cores() == 2


def test_without_proc_stat_the_load_average_decides(tmp_path, monkeypatch):
    monkeypatch.setattr(cores.os, "getloadavg", lambda: (1.0, 1.0, 1.0))
    monkeypatch.setattr(cores.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cores, "usable_cores", lambda: 2)
    assert read_machine_times(str(tmp_path / "missing")) is None
    assert CoreMonitor(str(tmp_path / "missing")).free_cores() == 1
