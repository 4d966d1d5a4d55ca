"""ONNX export: the exported graph gives PyTorch's output for any batch size and length."""
from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest
import torch

from export import export_onnx
from model import ModelConfig, SentimentRNN
from tests.test_model import batch, randomised


@pytest.mark.parametrize("config", [
    ModelConfig(vocab_size=60, embed_dim=8, hidden=6, ngram_buckets=101),
    ModelConfig(vocab_size=60, embed_dim=8, hidden=6, cell="lstm", bidirectional=False, pooling="last"),
], ids=["bigru-ngrams", "seed-lstm"])
def test_onnx_matches_pytorch_at_other_batch_sizes(tmp_path, config):
    torch.manual_seed(0)
    model = randomised(SentimentRNN(config)).eval()
    ids, lengths = batch([5, 3, 8], vocab=60)
    report = export_onnx(model, tmp_path / "model.onnx", [(ids, lengths, None)])
    assert report["parity_max_abs_diff"] < 1e-5
    session = ort.InferenceSession(str(tmp_path / "model.onnx"), providers=["CPUExecutionProvider"])
    for lengths_list in ([1], [7, 2, 9, 4, 1, 3, 12], [2, 2]):
        ids, lengths = batch(lengths_list, vocab=60, seed=len(lengths_list))
        expected = model(ids, lengths).detach().numpy()
        got = session.run(["positive"], {"ids": ids.numpy(), "lengths": lengths.numpy()})[0]
        np.testing.assert_allclose(got, expected, atol=1e-5)
