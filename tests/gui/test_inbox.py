"""Objects posted from other threads reach the GUI thread, all of them, in order."""

import threading

from localchat.gui.inbox import Inbox


def test_items_posted_from_plain_threads_arrive_on_the_gui_thread_in_order(qtbot):
    gui_thread = threading.get_ident()
    received: list[tuple[int, int, int]] = []
    inbox = Inbox(lambda item: received.append((*item, threading.get_ident())))

    def produce(source: int) -> None:
        for n in range(500):
            inbox.post((source, n))

    threads = [threading.Thread(target=produce, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    qtbot.waitUntil(lambda: len(received) == 2000)
    assert {ident for *_, ident in received} == {gui_thread}
    for source in range(4):
        assert [n for s, n, _ in received if s == source] == list(range(500))

