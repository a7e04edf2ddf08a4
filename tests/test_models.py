import pytest
import torch

from engine.models import (
    RecurrentConfig,
    SequenceClassifier,
    count_parameters,
    make_recurrent_layer,
    shared_vs_unshared_parameters,
)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("direction", ["uni", "bi"])
def test_classifier_shapes_and_loss(cell, direction):
    config = RecurrentConfig(
        cell=cell, direction=direction, vocab_size=10, num_classes=3, num_layers=2
    )
    model = SequenceClassifier(config)
    ids, targets = torch.randint(0, 10, (4, 7)), torch.tensor([0, 1, 2, 0])
    logits, loss = model(ids, targets)
    assert logits.shape == (4, 3) and loss.ndim == 0
    assert model(ids)[1] is None
    layer = model.rnn
    assert layer.bidirectional == (direction == "bi") and layer.batch_first


def test_factory_rejects_unknown_names_listing_the_choices():
    with pytest.raises(ValueError, match="choose one of rnn, lstm, gru"):
        make_recurrent_layer("cnn", 3, 4)
    with pytest.raises(ValueError, match="choose one of uni, bi"):
        make_recurrent_layer("lstm", 3, 4, direction="sideways")


def test_parameter_sharing_counts():
    rows = shared_vs_unshared_parameters(10, 20, [1, 5, 50])
    assert {r["rnn"] for r in rows} == {count_parameters(torch.nn.RNN(10, 20))}
    assert [r["feed_forward"] for r in rows] == [t * 10 * 20 + 20 for t in (1, 5, 50)]
