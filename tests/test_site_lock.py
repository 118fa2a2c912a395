"""Two builds of one profile's site at once (two terminals, or two test processes) take
turns on its stage folder instead of writing into it together."""

from __future__ import annotations

import threading

from facilitator_course import site_build


def test_a_second_build_of_one_stage_waits_for_the_first(tmp_path):
    stage = tmp_path / "cache" / "site" / "abc"
    order: list[str] = []
    said: list[str] = []
    first_in = threading.Event()
    release = threading.Event()

    def first():
        with site_build._one_build_at_a_time(stage, said.append):
            order.append("first in")
            first_in.set()
            release.wait(30)
            order.append("first out")

    def second():
        first_in.wait(30)
        with site_build._one_build_at_a_time(stage, said.append):
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    first_in.wait(30)
    for _ in range(3000):  # until the second has tried the lock and is waiting
        if said or len(order) > 1:
            break
        threading.Event().wait(0.01)
    release.set()
    for t in threads:
        t.join(30)
    assert order == ["first in", "first out", "second in"]
    assert said == ["Another build of this site is running; waiting for it to finish..."]
