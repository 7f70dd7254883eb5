"""This machine's speed calibration as a job of the one inference worker: it waits for the work
before it, gives way to the work that comes while it measures (a reply is never slowed by it, nor
its timings by a reply), and is kept once measured."""

import time

from localchat.core.hardware import detect_hardware
from localchat.core.inference.worker import CalibrationJob, InferenceWorker, LoadJob, ReplyFinished
from localchat.core.models.calibration import calibrate, calibration_path, load_calibration
from tests.core.inference.test_worker import WAIT, Recorder, chat, wait


def started(job, timeout: float = WAIT) -> None:
    """Until the worker has taken ``job`` from its queue (a plain thread: nothing to wait on)."""
    deadline = time.monotonic() + timeout
    while not job.started:
        assert time.monotonic() < deadline, f"{job!r} never started"
        time.sleep(0.001)


def test_a_reply_asked_for_while_the_machine_is_measured_goes_first_then_it_is_measured_again(
        tmp_path, tiny_model):
    worker, recorder = InferenceWorker(batch_seconds=0), Recorder()
    finished_at = {}
    worker.subscribe(recorder)
    worker.subscribe(lambda e: finished_at.setdefault(id(e.job), time.monotonic())
                     if isinstance(e, ReplyFinished) else None)
    worker.start()
    try:
        wait(worker.submit(LoadJob(str(tiny_model), n_ctx=512)))
        hardware = detect_hardware()
        measuring = worker.submit(CalibrationJob(tmp_path, hardware, models=[tiny_model]))
        started(measuring)
        reply = worker.submit(chat(max_tokens=8))
        wait(reply)
        assert not measuring.done.is_set(), "the reply waited for the whole measurement"
        wait(measuring)
        assert recorder.finished(reply).completion_tokens > 0
        assert measuring.interrupted >= 1, "the measurement went on beside the reply"
        assert measuring.calibration.measured
        assert load_calibration(calibration_path(tmp_path), hardware) == measuring.calibration
        # kept: asked again, it is read, not measured (no job)
        assert calibrate(worker, tmp_path, hardware) == measuring.calibration
    finally:
        assert worker.stop(timeout=WAIT)


def test_a_measurement_under_way_when_the_app_closes_ends_at_once_with_nothing_kept(tmp_path, tiny_model):
    worker = InferenceWorker(batch_seconds=0).start()
    measuring = worker.submit(CalibrationJob(tmp_path, detect_hardware(), models=[tiny_model]))
    started(measuring)
    assert worker.stop(timeout=WAIT)
    assert measuring.done.is_set()
    assert not measuring.calibration.measured, "the assumed figures, not a measurement cut short"
    assert not calibration_path(tmp_path).exists()
