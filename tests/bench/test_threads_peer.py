"""The policy and peer benchmarks run end to end on the tiny model, so they cannot rot. No
timing is asserted: only that each variant measured something, under its own environment."""

import os

import pytest

from bench.peer import Side, rows_for
from bench.threads import (
    Policy,
    alternate_policies,
    app_policy,
    busy_processes,
    child_env,
    fixed_policies,
    idle_cpu,
)
from localchat.core.inference.threads import spin_count


def test_each_policy_runs_the_engine_in_its_own_environment(tiny_model):
    policies = [app_policy(), Policy("spin (ACTIVE), 1 thread", {"OMP_WAIT_POLICY": "ACTIVE"}, 1)]
    got = alternate_policies(tiny_model, policies, rounds=1, runs=1, n_prompt=16, n_decode=6,
                             log=lambda _: None)
    mine, fixed = got[policies[0].name], got[policies[1].name]
    assert mine and fixed
    assert all(r.decode_tps > 0 and r.completion_tokens > 1 and r.prompt_tokens > 8 for r in mine + fixed)
    assert {tuple(t) for r in fixed for t in r.threads} == {(1, 1)}  # a fixed count stays fixed


def test_a_childs_environment_has_only_its_policys_wait_variables(monkeypatch):
    monkeypatch.setenv("OMP_WAIT_POLICY", "PASSIVE")  # as localchat.core sets it in the parent
    assert "OMP_WAIT_POLICY" not in child_env({"GOMP_SPINCOUNT": "5"})
    assert child_env({"GOMP_SPINCOUNT": "5"})["GOMP_SPINCOUNT"] == "5"
    assert app_policy().env == {"GOMP_SPINCOUNT": str(spin_count(os.cpu_count() or 1))}
    assert app_policy().threads == 0
    assert [p.threads for p in fixed_policies(2)] == [2, 2, 2, 1]


def test_the_idle_cpu_of_a_loaded_engine_is_measured(tiny_model):
    got = idle_cpu(tiny_model, [app_policy()], seconds=0.5, log=lambda _: None)
    assert 0.0 <= got[app_policy().name] < 1.5


def test_busy_processes_run_while_the_block_does_and_end_after():
    with busy_processes(2) as hogs:
        assert len(hogs) == 2 and all(h.poll() is None for h in hogs)
    assert all(h.poll() is not None for h in hogs)


def test_a_model_the_peer_cannot_load_is_named_in_the_table(tiny_model):
    mine = Side([20.0, 22.0], [0.1, 0.2], prompt_tokens=64, threads="[(2, 2)]")
    refused = Side([], [], error="Model not loaded; unknown pre-tokenizer type: 'smollm'")
    rows = rows_for(tiny_model, "idle", mine, refused, "≥ 1.5")
    assert "cannot load this model" in rows[0].note and "smollm" in rows[0].note
    assert rows[0].ratio is None and rows[0].value == 21.0
    theirs = Side([10.0], [0.3], threads="2")
    decode, ttft = rows_for(tiny_model, "idle", mine, theirs, "≥ 1.5")
    assert decode.ratio == pytest.approx(2.1) and decode.verdict == "ok"
    assert ttft.ratio == pytest.approx(0.15 / 0.3)


@pytest.mark.skipif(not os.environ.get("LOCALCHAT_BENCH_PEER"),
                    reason="set LOCALCHAT_BENCH_PEER=1 to install GPT4All 2.8.2 into the bench cache "
                           "and run it on the tiny model")
def test_gpt4all_runs_in_its_own_environment(tiny_model):
    from bench.peer import _gpt4all, gpt4all_python

    side = _gpt4all(gpt4all_python(), tiny_model, ["the sea is wide", "hello"], runs=1, n_decode=4)
    assert side.error or side.decode_tps  # a tiny random model may be refused: that is said, not hidden
