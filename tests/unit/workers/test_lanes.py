"""Lanes fill and refuse on their own: a busy render lane never refuses a probe."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mediagate.workers.lanes import Lane, LaneLimits, Lanes
from mediagate.workers.pool import Overloaded
from tests.unit.workers import pool_tasks

MIB = 1024 * 1024


def test_a_full_render_lane_refuses_renders_while_probes_run(tmp_path: Path) -> None:
    one = LaneLimits(workers=1, queue_limit=0, timeout_seconds=30.0, memory_bytes=512 * MIB)
    lanes = Lanes({Lane.PROBE: one, Lane.RENDER: one, Lane.VOICE: one})

    async def scenario() -> None:
        await lanes.start()
        gate = tmp_path / "go"
        try:
            busy = asyncio.create_task(lanes.render.run(pool_tasks.wait_for_file, str(gate)))
            while lanes.render.busy < 1:  # noqa: ASYNC110 (a yield, not a timer)
                await asyncio.sleep(0)
            with pytest.raises(Overloaded) as overloaded:
                await lanes.render.run(pool_tasks.add, 1, 1)
            assert overloaded.value.metadata == {"lane": "render"}
            # The other lanes answer as if nothing were happening.
            assert await lanes.probe.run(pool_tasks.add, 2, 3) == 5
            assert await lanes.voice.run(pool_tasks.add, 3, 4) == 7
            gate.touch()
            assert await busy == str(gate)
        finally:
            await lanes.close()

    asyncio.run(scenario())


def test_each_lane_has_its_own_time_limit() -> None:
    lanes = Lanes(
        {
            Lane.PROBE: LaneLimits(1, 4, 0.3, 512 * MIB),
            Lane.RENDER: LaneLimits(1, 4, 30.0, 512 * MIB),
        }
    )

    async def scenario() -> None:
        await lanes.start()
        try:
            with pytest.raises(Exception) as failed:
                await lanes.probe.run(pool_tasks.spin_forever)
            assert (failed.value.lane, failed.value.kind) == ("probe", "timeout")  # type: ignore[attr-defined]
            assert await lanes.render.run(pool_tasks.add, 1, 2) == 3
            assert lanes.render.replaced == 0 and lanes.probe.replaced == 1
        finally:
            await lanes.close()

    asyncio.run(scenario())
