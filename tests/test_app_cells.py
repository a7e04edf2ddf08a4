"""Page tests for "RNN vs LSTM vs GRU" (the shipped comparison, real reruns)."""

import copy
import json
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import open_page

PAGE = "pages/cells.py"
RUN_ROWS = ["RNN", "LSTM", "GRU", "wide RNN"]


def shipped():
    from engine.cell_comparison import NAME, load_comparison
    from engine.checkpoints import default_path

    return load_comparison(default_path(NAME))


@pytest.fixture
def at() -> AppTest:
    return open_page(PAGE)


def charts(app: AppTest) -> list:
    return app.get("arrow_vega_lite_chart") or app.get("vega_lite_chart")


def test_three_cells_are_drawn_and_compared(at):
    diagrams = [g.proto.spec for g in at.get("graphviz_chart")]
    assert len(diagrams) == 3
    assert "forget gate" in diagrams[1] and "c_t (cell state)" in diagrams[1]
    assert "update gate" in diagrams[2] and "c_t" not in diagrams[2]
    assert any("1,344" in m.value for m in at.markdown)  # a real nn.RNN's count
    (table,) = [d.value for d in at.dataframe if "final accuracy" in d.value]
    accuracy = dict(zip(table["cell"], table["final accuracy"], strict=True))
    assert float(accuracy["LSTM"].rstrip("%")) > 90 > float(accuracy["RNN"].rstrip("%"))
    assert len(charts(at)) == 2  # the curves, then the connectivity rows


def test_next_word_comparison_reports_perplexity(at):
    at.segmented_control(key="cells_task").set_value("next-word").run()
    assert not at.exception
    (table,) = [d.value for d in at.dataframe if "final perplexity" in d.value]
    assert list(table["cell"]) == RUN_ROWS
    # from ~3,000 untrained to ~100: a log scale keeps the last steps apart
    [layer] = json.loads(charts(at)[0].proto.spec)["layer"]
    y = layer["encoding"]["y"]
    assert y["scale"]["type"] == "log" and "log scale" in y["title"]
    low, high = y["scale"]["domain"]
    finals = [float(v.replace(",", "")) for v in table["final perplexity"]]
    assert low <= min(finals) and high >= 1_000 and 100 in y["axis"]["values"]


def test_perplexity_is_defined_and_its_intuition_kept_as_one(at):
    """Issue 17 item 9: the definition, with the shipped LSTM's own number."""
    at.segmented_control(key="cells_task").set_value("next-word").run()
    [note] = [c.value for c in at.caption if c.value.startswith("Same training")]
    assert "exp of the mean cross-entropy per word" in note
    assert "inverse of the geometric mean of the probability" in note
    ppl = shipped().run("next-word", "lstm").final_metric
    assert f"1/{ppl:,.1f} = {1 / ppl:.2%}, as a geometric mean" in note
    assert "As an intuition only: it is as unsure as if it were choosing among " in note
    assert f"among {ppl:,.0f} equally likely words" in note


@pytest.mark.parametrize("task", ["memory10", "memory50", "next-word"])
def test_the_table_has_the_wide_rnn_row_with_its_size(at, task):
    at.segmented_control(key="cells_task").set_value(task).run()
    assert not at.exception
    (table,) = [d.value for d in at.dataframe if "hidden units" in d.value]
    assert list(table["cell"]) == RUN_ROWS
    comparison = shipped()
    runs = [comparison.run(task, cell) for cell in ("rnn", "lstm", "gru", "rnn-wide")]
    assert list(table["hidden units"]) == [run.hidden_size for run in runs]
    assert list(table["parameters"]) == [f"{run.parameters:,}" for run in runs]
    spec = comparison.settings.spec(task)
    assert list(table["hidden units"])[:3] == [spec.hidden_size] * 3
    assert runs[3].hidden_size > spec.hidden_size


def test_the_wide_rnn_has_its_own_colour_in_the_curves(at):
    from playground import palette

    [shipped_layer] = json.loads(charts(at)[0].proto.spec)["layer"]
    colour = shipped_layer["encoding"]["color"]["scale"]
    assert colour["domain"] == RUN_ROWS
    assert colour["range"] == [palette.CELL_RUNS[c] for c in palette.CELL_RUNS]
    assert colour["range"][3] == palette.WIDE_RNN


def test_live_retrain_adds_a_dashed_run(at):
    at.segmented_control(key="cells_task").set_value("memory10").run()
    at.segmented_control(key="cells_retrain_cell").set_value("lstm").run()
    at.button(key="cells_retrain").click().run()
    assert not at.exception
    from engine.cell_comparison import NAME, load_comparison
    from engine.checkpoints import default_path
    from playground.cells_views import retrain_question

    note = at.success[0].value
    assert note.startswith(f"{retrain_question('lstm')} Here is what it measured: ")
    shipped = load_comparison(default_path(NAME)).run("memory10", "lstm")
    assert f"against the shipped {shipped.final_metric:.1%}." in note
    assert ("memory10", "lstm") in at.session_state["cells_live_runs"]
    name, weights = at.session_state["cells_live_weights"]
    assert name == "memory10-lstm.pt" and len(weights) > 10_000  # a real state_dict
    assert any(c.value.startswith("Dashed, on top: what you") for c in at.caption)
    assert "LSTM (your rerun)" in charts(at)[0].proto.spec


def test_a_rerun_is_drawn_dashed_on_top_with_its_own_legend_entry(at):
    from engine.cell_comparison import NAME, load_comparison
    from engine.checkpoints import default_path

    # the hardest case: a rerun exactly on top of the shipped LSTM's curve
    shipped = load_comparison(default_path(NAME)).run("memory50", "lstm")
    at.session_state["cells_live_runs"] = {("memory50", "lstm"): shipped}
    at.run()
    assert not at.exception
    spec = json.loads(charts(at)[0].proto.spec)
    under, over = spec["layer"]  # the rerun's layer is drawn last, on top
    assert over["transform"] == [{"filter": "(datum.run !== 'shipped')"}]
    assert under["mark"]["opacity"] < 1 < over["mark"]["strokeWidth"]
    colour, dash = over["encoding"]["color"], over["encoding"]["strokeDash"]
    legend = [*RUN_ROWS, "LSTM (your rerun)"]
    assert colour["scale"]["domain"] == dash["scale"]["domain"] == legend
    assert colour["field"] == dash["field"]  # one legend: the rerun's entry dashed
    assert dash["legend"]["symbolType"] == "stroke"  # lines, not dots, in it
    solid, rerun = dash["scale"]["range"][1], dash["scale"]["range"][4]
    assert colour["scale"]["range"][1] == colour["scale"]["range"][4]  # LSTM's
    assert solid == [1, 0] and rerun[1] > 0  # the rerun has gaps, the shipped none
    assert any("“LSTM (your rerun)” in the legend" in c.value for c in at.caption)


@pytest.mark.parametrize("text", ["", "hello", "🙂", "<b>a i</b>", "a " * 400])
def test_memory_quiz_refuses_junk_kindly(at, text):
    at.text_input(key="cells_sequence").set_value(text[:600]).run()
    assert not at.exception
    assert at.info, "a friendly message is shown"


def test_memory_quiz_answers_with_eight_models(at):
    at.text_input(key="cells_sequence").set_value("d i k j l i j k l i").run()
    (table,) = [d.value for d in at.dataframe if "answer" in d.value]
    assert len(table) == 8  # two lengths: the three cells and the wide RNN
    assert list(table["cell"][:4]) == RUN_ROWS
    ten = table[table["trained on"] == "10 letters"]
    assert set(ten["answer"]) == {"d"}


def test_copy_as_pytorch_builds_the_compared_model(at):
    code = next(c.value for c in at.code if "class MemoryNet" in c.value)
    assert "nn.LSTM(8, 32" in code and "LENGTH = 8, 4, 50" in code
    at.segmented_control(key="cells_task").set_value("next-word").run()
    at.segmented_control(key="cells_code_cell").set_value("gru").run()
    code = next(c.value for c in at.code if "class LanguageModel" in c.value)
    assert "nn.GRU(" in code


def test_copy_as_pytorch_builds_the_wide_rnn_at_its_own_size(at):
    at.segmented_control(key="cells_code_cell").set_value("rnn-wide").run()
    assert not at.exception
    wide = shipped().run("memory50", "rnn-wide")
    code = next(c.value for c in at.code if "class MemoryNet" in c.value)
    assert f"nn.RNN(8, {wide.hidden_size}, batch_first=True)" in code
    assert any(
        f"shipped wide RNN ({wide.parameters:,} parameters)" in c.value
        for c in at.caption
    )


def test_a_busy_server_asks_the_learner_to_try_again(at, monkeypatch):
    from engine import trainer_slots

    monkeypatch.setattr(trainer_slots, "MAX_WAIT_SECONDS", 0.3)
    at.segmented_control(key="cells_task").set_value("memory10").run()
    with trainer_slots.trainer_slot(), trainer_slots.trainer_slot():
        at.button(key="cells_retrain").click().run()
    assert not at.exception
    assert "trainers stayed busy" in at.warning[0].value


@pytest.mark.parametrize("task", ["memory50", "next-word"])
def test_the_same_training_is_not_the_same_number_of_parameters(at, task):
    """Issue 17: "same budget" meant the same hidden size; the counts differ."""
    from engine.cell_comparison import CELL_LABELS, NEXT_WORD, memory_model
    from playground.models import cell_comparison

    at.segmented_control(key="cells_task").set_value(task).run()
    [note] = [c.value for c in at.caption if c.value.startswith("Same training")]
    comparison = cell_comparison()
    spec = comparison.settings.spec(task)
    for cell in ("rnn", "lstm", "gru"):
        if task == NEXT_WORD:  # the shipped model, counted here
            model = comparison.model(task, cell)
        else:  # a fresh model of the compared shape
            model = memory_model(spec, cell)
        count = sum(p.numel() for p in model.parameters())  # tied weights once
        assert f"the {CELL_LABELS[cell]} {count:,}" in note
    assert f"{spec.hidden_size} hidden units for the RNN, LSTM and GRU" in note
    assert "not the same number of parameters" in note and "budget" not in note
    assert note.startswith("Same training for all four")
    wide = comparison.model(task, "rnn-wide")
    count = sum(p.numel() for p in wide.parameters())
    assert f"plain RNN with {wide.rnn.hidden_size} units" in note
    assert f"closest to the LSTM's: {count:,}." in note


def test_the_gru_is_drawn_and_explained_in_pytorchs_convention(at):
    gru = at.get("graphviz_chart")[2].proto.spec
    # n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_(t-1) + b_hn)): r scales W_hn h
    assert "hp -> recall -> forget; r -> forget; forget -> n" in gru
    assert 'label="W_hn h_(t-1) + b_hn"' in gru and "hp -> forget" not in gru
    [note] = [c.value for c in at.caption if "Olah" in c.value]
    assert "PyTorch's convention: z_t near 1 keeps the old state" in note


# ---------------------------------------------- connectivity in trained models

CONNECTIVITY_ROWS = ["keyboard LSTM (2×256)", "RNN (48)", "LSTM (48)", "GRU (48)"]


def connectivity_spec(app: AppTest) -> dict | None:
    specs = [json.loads(chart.proto.spec) for chart in charts(app)]
    found = [
        s
        for s in specs
        if s.get("encoding", {}).get("color", {}).get("field") == "share"
    ]
    return found[0] if found else None


def test_connectivity_of_the_trained_models_on_the_default_sentence(at):
    from engine.connectivity import EXAMPLE, compare
    from playground.cells_views import _connectivity_models
    from playground.widgets import escape_markdown

    assert at.text_input(key="cells_connectivity_text").value == EXAMPLE
    spec = connectivity_spec(at)
    assert spec is not None, "the connectivity chart is drawn"
    assert spec["encoding"]["y"]["sort"] == CONNECTIVITY_ROWS
    assert spec["encoding"]["x"]["axis"]["labelExpr"].startswith('["the", "government"')
    # the sentence quotes this sentence's numbers, computed by the engine
    _, results = compare(_connectivity_models(), EXAMPLE)
    [look] = [c.value for c in at.caption if c.value.startswith("What to look for")]
    for label, result in results.items():
        assert escape_markdown(f"{label} {result.recent_share(3):.0%}") in look
        assert sum(result.shares) == pytest.approx(1.0)
    [notes] = [c.value for c in at.caption if "differentiated by autograd" in c.value]
    assert "logit" in notes and "“the”" in notes


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "no words"),
        ("🙂 😂 🎉", "no words"),
        ("zzqxv blorptang qwxyzzy", "none of these words"),
    ],
)
def test_connectivity_refuses_junk_kindly(at, text, message):
    at.text_input(key="cells_connectivity_text").set_value(text).run()
    assert not at.exception
    assert any(message in i.value.lower() for i in at.info)
    assert connectivity_spec(at) is None


def test_connectivity_reads_html_as_words_and_cuts_long_text(at):
    box = at.text_input(key="cells_connectivity_text")
    box.set_value("<b>the prime minister</b> said").run()
    assert not at.exception and connectivity_spec(at) is not None
    assert (
        '"b", "the", "prime"'
        in connectivity_spec(at)["encoding"]["x"]["axis"]["labelExpr"]
    )
    box.set_value("the tax on fuel " * 15).run()  # 60 words
    assert not at.exception
    assert any("has 60 words" in i.value and "last 30" in i.value for i in at.info)
    assert connectivity_spec(at) is not None


def test_the_learner_guesses_before_the_curves_answer(at):
    """Issue "Teach it right": a question before the chart, its answer under it."""
    from engine.cell_comparison import NAME, load_comparison
    from engine.checkpoints import default_path

    comparison = load_comparison(default_path(NAME))
    length = comparison.settings.spec("memory50").length
    question = f"Which cell will remember the first letter after {length} letters?"
    wide = "And will the wide RNN, a plain RNN with about the LSTM's number of "
    wide += "parameters, do as well as the LSTM?"
    assert f"**Guess first:** {question} {wide} Then look at the curves." in [
        m.value for m in at.markdown
    ]
    [caption] = [c.value for c in at.caption if c.value.startswith("Look for the")]
    assert question in caption and "Measured on held-out data" in caption
    finals = {c: comparison.run("memory50", c).final_metric for c in ("rnn", "lstm")}
    assert f"LSTM {finals['lstm']:.1%}" in caption
    assert f"RNN {finals['rnn']:.1%}" in caption
    assert any(
        m.value.startswith("**Before you press:** In at most") for m in at.markdown
    )


def test_the_next_word_curves_say_what_to_look_for(at):
    at.segmented_control(key="cells_task").set_value("next-word").run()
    assert not at.exception
    [caption] = [c.value for c in at.caption if c.value.startswith("Look for the")]
    assert "ends lowest" in caption and "Which cell will predict" in caption


# ------------------------------------------------ the wide RNN: is it the size?


def test_the_wide_rnn_sentence_answers_from_the_stored_runs(at):
    comparison = shipped()
    for task in ("memory50", "next-word"):
        at.segmented_control(key="cells_task").set_value(task).run()
        [note] = [m.value for m in at.markdown if m.value.startswith("**Is it the")]
        rnn, lstm, wide = (comparison.run(task, c) for c in ("rnn", "lstm", "rnn-wide"))
        share = f"{wide.parameters / lstm.parameters - 1:+.1%}".replace("-", "−")
        assert f"{wide.hidden_size} units instead of {rnn.hidden_size}" in note
        assert f"{wide.parameters:,} parameters, {share} from the LSTM's" in note
        if task == "memory50":
            assert f"It ends at {wide.final_metric:.1%} (chance is 1 in 8" in note
            assert f"the LSTM's {lstm.final_metric:.1%}" in note
            assert f"the 32-unit RNN's {rnn.final_metric:.1%}" in note
        else:
            assert f"It ends at {wide.final_metric:,.1f}, against" in note
            assert "3,000 word vectors" in note


def with_finals(comparison, task: str, **finals: float):
    """A copy of the comparison whose runs on `task` end at other scores."""
    changed = copy.copy(comparison)
    runs = []
    for run in comparison.runs:
        cell = run.cell.replace("-", "_")
        if run.task == task and cell in finals:
            point = run.curve[-1] | {run.metric: finals[cell]}
            run = replace(run, curve=[*run.curve[:-1], point])
        runs.append(run)
    changed.runs = runs
    return changed


@pytest.mark.parametrize(
    "task, finals, expected",
    [
        ("memory50", {"rnn_wide": 0.214}, "it closes only 0% of the gap, so the LSTM"),
        ("memory50", {"rnn_wide": 0.7}, "it closes 62% of the gap, so the parameter"),
        ("memory50", {"rnn_wide": 0.4}, "it closes only 24% of the gap, so most of"),
        ("memory50", {"rnn_wide": 0.995}, "it catches up with the LSTM"),
        ("memory50", {"rnn": 1.0}, "the LSTM is not ahead of the RNN here"),
        ("next-word", {"rnn_wide": 109.5}, "it catches up with the LSTM"),
        ("next-word", {"rnn_wide": 118.0}, "it closes 52% of the gap"),
        ("next-word", {"rnn_wide": 130.0}, "it does worse than the smaller RNN"),
    ],
)
def test_the_wide_rnn_sentence_follows_the_data(monkeypatch, task, finals, expected):
    """Change the stored results: the answer changes with them."""
    from playground import cells_views

    changed = with_finals(shipped(), task, **finals)
    monkeypatch.setattr(cells_views, "cell_comparison", lambda: changed)
    note = cells_views.wide_rnn_note(task)
    assert expected in note
    wide = changed.run(task, "rnn-wide").final_metric
    shown = f"{wide:.1%}" if task.startswith("memory") else f"{wide:,.1f}"
    assert f"It ends at {shown}" in note


def test_the_curves_caption_names_ties_from_the_data(monkeypatch):
    from playground import cells_views

    comparison = shipped()
    monkeypatch.setattr(cells_views, "cell_comparison", lambda: comparison)
    finals = {c: comparison.run("memory50", c).final_metric for c in ("lstm", "gru")}
    caption = cells_views.curves_look_for("memory50")
    if finals["lstm"] == finals["gru"]:
        assert caption.endswith("The LSTM and GRU tie for best.")
    changed = with_finals(comparison, "memory50", gru=0.9)
    monkeypatch.setattr(cells_views, "cell_comparison", lambda: changed)
    assert cells_views.curves_look_for("memory50").endswith("The LSTM does best.")
    same = with_finals(comparison, "memory50", rnn=0.5, lstm=0.5, gru=0.5, rnn_wide=0.5)
    monkeypatch.setattr(cells_views, "cell_comparison", lambda: same)
    assert cells_views.curves_look_for("memory50").endswith(
        "They all reach the same score."
    )
