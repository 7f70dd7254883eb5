"""The inference worker's events as Qt signals, with a real worker thread and llama.cpp."""

import threading

from PySide6.QtCore import QObject, Slot

from localchat.core.chat.messages import USER, Message, Sampling
from localchat.core.inference.worker import ChatJob, InferenceWorker, LoadJob
from localchat.gui.chat.relay import InferenceRelay


class Receiver(QObject):
    """Records each event and the thread its slot ran on."""

    def __init__(self, relay: InferenceRelay):
        super().__init__()
        self.events, self.threads = [], set()
        self.finished = None
        relay.model_loading.connect(self.on_loading)
        relay.model_loaded.connect(self.on_loaded)
        relay.reply_delta.connect(self.on_delta)
        relay.reply_finished.connect(self.on_finished)

    def _record(self, *event):
        self.events.append(event)
        self.threads.add(threading.current_thread())

    @Slot(object)
    def on_loading(self, job):
        self._record("loading", job)

    @Slot(object, object)
    def on_loaded(self, job, info, defaults):
        self._record("loaded", job, info)

    @Slot(object, str)
    def on_delta(self, job, text):
        self._record("delta", job, text)

    @Slot(object, object)
    def on_finished(self, job, stats):
        self._record("finished", job, stats)
        self.finished = stats


def test_the_workers_events_arrive_on_the_gui_thread_in_order(qtbot, tiny_model):
    relay = InferenceRelay(InferenceWorker(batch_seconds=0.002)).start()
    receiver = Receiver(relay)
    load = relay.submit(LoadJob(str(tiny_model)))
    chat = relay.submit(ChatJob([Message(USER, "hello")], Sampling(max_tokens=200, seed=3)))
    qtbot.waitUntil(lambda: receiver.finished is not None, timeout=20_000)

    assert receiver.threads == {threading.main_thread()}
    kinds = [e[0] for e in receiver.events]
    assert kinds[:2] == ["loading", "loaded"] and kinds[-1] == "finished"
    assert set(kinds[2:-1]) == {"delta"} and len(kinds) > 4  # the reply came in batches
    assert receiver.events[1][1] is load and all(e[1] is chat for e in receiver.events[2:])
    assert receiver.finished.completion_tokens == 200
    assert "".join(e[2] for e in receiver.events[2:-1])

    assert relay.stop()
    assert not relay.worker.running and relay.worker.engine.model is None
