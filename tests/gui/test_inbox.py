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



def test_a_background_result_for_a_widget_deleted_meanwhile_is_dropped(qtbot):
    import threading

    from PySide6.QtWidgets import QLabel

    from localchat.gui.background import run_in_background

    label = QLabel()
    release = threading.Event()
    call = run_in_background(lambda: release.wait(30) and "done", label.setText)
    label.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(label), timeout=5000)
    with qtbot.waitSignal(call.done, timeout=30_000):
        release.set()
    # no "Internal C++ object already deleted" reached the event loop (pytest-qt fails on it)
