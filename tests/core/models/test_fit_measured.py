"""Measured, not only computed: load real models through the engine in a child process, fill
the context, and hold the peak RSS against the fit's prediction at two context sizes."""

import pytest

from localchat.core.models.fit import estimate_memory
from localchat.core.models.gguf import read_local
from localchat.core.testing.fit_measure import measure_peak_memory
from localchat.core.units import MIB


def check_against_prediction(model, small: int, large: int) -> None:
    facts = read_local(model)
    measured = {n: measure_peak_memory(model, n).peak_growth for n in (small, large)}
    predicted = {n: estimate_memory(facts, n_ctx=n).ram_bytes for n in (small, large)}
    for n in (small, large):
        print(f"{model.name} @ {n}: predicted {predicted[n] / MIB:.1f} MiB, measured {measured[n] / MIB:.1f} MiB")
        # 10%, plus a few MB the Python side allocates along the way
        assert abs(predicted[n] - measured[n]) <= 0.10 * measured[n] + 4 * MIB
    # what a larger context costs: the KV cache and the attention scores
    grew, predicted_growth = measured[large] - measured[small], predicted[large] - predicted[small]
    assert grew > 0
    assert abs(predicted_growth - grew) <= 0.15 * grew + 1 * MIB


@pytest.mark.slow
def test_tiny_model_memory_is_as_predicted(tiny_model):
    check_against_prediction(tiny_model, 512, 2048)


@pytest.mark.slow
@pytest.mark.demo
def test_demo_model_memory_is_as_predicted(demo_model):
    check_against_prediction(demo_model, 512, 1536)
