import torch

from engine.memory_task import first_symbol_batches
from engine.models import RecurrentConfig, SequenceClassifier
from engine.train import TrainConfig, Trainer

CONFIG = RecurrentConfig(
    cell="gru", vocab_size=8, embed_size=8, hidden_size=16, num_classes=4
)


def _data():
    train = first_symbol_batches(30, 16, (3, 6), 4, seed=1)
    valid = first_symbol_batches(4, 16, (3, 6), 4, seed=2)
    return train, valid


def test_training_lowers_the_loss_and_reports_progress():
    torch.manual_seed(0)
    steps, epochs = [], []
    trainer = Trainer(
        SequenceClassifier(CONFIG),
        TrainConfig(epochs=3, lr=1e-2),
        on_step=steps.append,
        on_epoch=epochs.append,
    )
    train, valid = _data()
    before = trainer.evaluate(valid)
    result = trainer.fit(train, valid)
    assert result.best_valid_loss < before * 0.8
    assert len(steps) == 90 and steps[-1].step == 90 and steps[-1].total_steps == 90
    assert steps[-1].eta_s == 0 and steps[0].tokens_per_s > 0
    assert [e.epoch for e in epochs] == [1, 2, 3]


def test_same_seed_gives_the_same_weights():
    torch.manual_seed(0)
    initial = SequenceClassifier(CONFIG).state_dict()

    def run(noise_seed):
        torch.manual_seed(noise_seed)  # fit() must reseed, whatever came before
        model = SequenceClassifier(CONFIG)
        model.load_state_dict(initial)
        Trainer(model, TrainConfig(epochs=1)).fit(*_data())
        return model.state_dict()

    first, second = run(1), run(2)
    assert all(torch.equal(first[k], second[k]) for k in first)


def test_stop_request_ends_training_early():
    trainer = Trainer(SequenceClassifier(CONFIG), TrainConfig(epochs=5))
    trainer.on_step = lambda progress: trainer.request_stop()
    result = trainer.fit(*_data())
    assert result.stopped_because == "stopped" and result.epochs_run == 1


def test_time_limit_caps_training():
    result = Trainer(
        SequenceClassifier(CONFIG), TrainConfig(epochs=50, max_seconds=0.0)
    ).fit(*_data())
    assert result.stopped_because == "time limit" and result.epochs_run == 1


def test_early_stopping_when_validation_stops_improving():
    # lr=0 cannot improve the validation loss, so patience runs out
    result = Trainer(
        SequenceClassifier(CONFIG), TrainConfig(epochs=10, lr=0.0, patience=2)
    ).fit(*_data())
    assert result.stopped_because == "early stopping" and result.epochs_run == 2


def test_step_schedule_changes_the_learning_rate_at_the_given_epoch():
    epochs = []
    Trainer(
        SequenceClassifier(CONFIG),
        TrainConfig(epochs=3, lr=1e-2, lr_steps={3: 0.25}),
        on_epoch=epochs.append,
    ).fit(*_data())
    assert [e.lr for e in epochs] == [1e-2, 1e-2, 2.5e-3]


def test_time_each_skips_refused_items_and_reports_percentiles():
    from engine.errors import InputError
    from engine.train import time_each

    def run(item: int) -> None:
        if item < 0:
            raise InputError("refused")

    timing = time_each(run, [1, 2, -1, 3])
    assert set(timing) == {"predict_p50_ms", "predict_p95_ms"}
    assert 0 <= timing["predict_p50_ms"] <= timing["predict_p95_ms"]


def test_lr_factors_give_pretrained_weights_a_smaller_step():
    from torch import nn

    from engine.train import param_groups

    model = nn.Sequential()
    model.add_module("embedding", nn.Embedding(5, 3))
    model.add_module("head", nn.Linear(3, 2))
    plain = param_groups(model, TrainConfig(lr=1e-3))
    assert len(plain) == 1 and plain[0]["lr"] == 1e-3
    groups = param_groups(model, TrainConfig(lr=1e-3, lr_factors={"embedding.": 0.1}))
    by_lr = sorted((round(g["lr"], 9), len(g["params"])) for g in groups)
    assert by_lr == [(1e-4, 1), (1e-3, 2)]  # the head: its weight and bias


def test_averaged_weights_follow_the_model_and_are_lent_back():
    from torch import nn

    from engine.train import AveragedWeights

    model = nn.Linear(2, 1, bias=False)
    with torch.no_grad():
        model.weight.fill_(0.0)
    averaged = AveragedWeights(model, decay=0.75)
    with torch.no_grad():
        model.weight.fill_(4.0)
    averaged.update()  # 0.75 * 0 + 0.25 * 4
    with averaged.lent():
        assert torch.allclose(model.weight, torch.full((1, 2), 1.0))
    assert torch.allclose(model.weight, torch.full((1, 2), 4.0))  # given back


def test_training_with_averaged_weights_keeps_the_average():
    torch.manual_seed(0)
    model = SequenceClassifier(CONFIG)
    epochs = []
    trainer = Trainer(
        model, TrainConfig(epochs=3, lr=1e-2, average_decay=0.9), on_epoch=epochs.append
    )
    train, valid = _data()
    before = trainer.evaluate(valid)
    result = trainer.fit(train, valid)
    assert result.best_valid_loss < before * 0.8
    # the weights kept are those whose validation loss was reported as the best
    assert abs(trainer.evaluate(valid) - result.best_valid_loss) < 1e-6
    assert min(e.valid_loss for e in epochs) == result.best_valid_loss
