"""The pretrained encoder: a bidirectional language model over the prepared ids (ELMo-style,
Peters et al. 2018). A forward LSTM reads the token stream left to right and predicts the next
token; a backward LSTM reads it right to left and predicts the previous one. Both share the
embedding and one adaptive softmax (Grave et al. 2017), which keeps the output layer cheap on
two CPU cores.

The parameter names `embedding`, `forward_rnn` and `backward_rnn` are those of SentimentRNN
(model.py), so fine-tuning loads the encoder with `load_state_dict(strict=False)`: the
classifier's backward branch already reads each review reversed within its length, which is
exactly what the backward language model learnt to read.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class LMConfig:
    vocab_size: int = 20_000
    embed_dim: int = 128         # token embedding width (shared by both directions)
    hidden: int = 256            # LSTM state per direction
    cutoffs: tuple[int, ...] = (250, 2_000, 8_000)  # adaptive softmax clusters by frequency rank: a small head is what makes it cheap
    dropout: float = 0.1         # on embeddings and LSTM outputs


LSTMState = tuple[torch.Tensor, torch.Tensor]


class BiLM(nn.Module):
    def __init__(self, config: LMConfig):
        super().__init__()
        self.config = config
        self.embedding = nn.Embedding(config.vocab_size, config.embed_dim, padding_idx=0)
        self.forward_rnn = nn.LSTM(config.embed_dim, config.hidden, batch_first=True)
        self.backward_rnn = nn.LSTM(config.embed_dim, config.hidden, batch_first=True)
        self.dropout = nn.Dropout(config.dropout)
        # A tiny vocabulary (tests) keeps one split in the middle.
        cutoffs = [c for c in config.cutoffs if c < config.vocab_size - 1] or [config.vocab_size // 2]
        self.softmax = nn.AdaptiveLogSoftmaxWithLoss(config.hidden, config.vocab_size, cutoffs, div_value=4.0)

    def direction_loss(self, rnn: nn.LSTM, inputs: torch.Tensor, targets: torch.Tensor,
                       state: LSTMState | None) -> tuple[torch.Tensor, LSTMState]:
        """inputs, targets [B, T] -> mean negative log-likelihood of targets and the final state."""
        out, state = rnn(self.dropout(self.embedding(inputs)), state)  # [B, T, H]
        loss = self.softmax(self.dropout(out).reshape(-1, out.shape[2]), targets.reshape(-1)).loss
        return loss, state

    def forward(self, forward_chunk: torch.Tensor, backward_chunk: torch.Tensor,
                states: tuple[LSTMState | None, LSTMState | None]) -> tuple[torch.Tensor, torch.Tensor, tuple[LSTMState, LSTMState]]:
        """Each chunk is [B, T + 1] of a token stream (the backward one is the corpus reversed):
        positions 0..T-1 are read, 1..T predicted. Returns both losses and the states to carry."""
        f_loss, f_state = self.direction_loss(self.forward_rnn, forward_chunk[:, :-1], forward_chunk[:, 1:], states[0])
        b_loss, b_state = self.direction_loss(self.backward_rnn, backward_chunk[:, :-1], backward_chunk[:, 1:], states[1])
        return f_loss, b_loss, (f_state, b_state)

    def encoder_state(self) -> dict[str, torch.Tensor]:
        """The parameters a classifier starts from (everything but the softmax)."""
        return {k: v.detach().clone() for k, v in self.state_dict().items() if not k.startswith("softmax.")}

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.parameters())
