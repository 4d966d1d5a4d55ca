"""The ReelSense sentiment model: a recurrent network over token ids, with an optional
bag-of-bigrams side branch. Input: ids [B, T] int64 (right-padded with 0) and lengths [B] int64;
output: P(positive) [B]. Written to export cleanly to ONNX: no packed sequences; the backward
direction reads each review reversed within its own length, so padding never reaches a
real position, and pooling masks the padding.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ModelConfig:
    vocab_size: int = 20_000
    embed_dim: int = 64          # token embedding width
    hidden: int = 64             # recurrent state per direction
    cell: str = "gru"            # "gru" or "lstm"
    bidirectional: bool = True
    pooling: str = "maxmean"     # "maxmean": max and mean over time; "last": state at the last real step (the seed)
    dropout: float = 0.3
    bigram_buckets: int = 0      # >0 adds the side branch: hashed bigrams, mean-pooled embeddings
    bigram_dim: int = 16


# Multipliers of the bigram hash; products stay far below 2^63 for ids < 2^31.
_HASH_A = 2_654_435_761
_HASH_B = 40_503


class SentimentRNN(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        assert config.cell in ("gru", "lstm") and config.pooling in ("maxmean", "last")
        self.config = config
        self.embedding = nn.Embedding(config.vocab_size, config.embed_dim, padding_idx=0)
        rnn = nn.GRU if config.cell == "gru" else nn.LSTM
        self.forward_rnn = rnn(config.embed_dim, config.hidden, batch_first=True)
        self.backward_rnn = rnn(config.embed_dim, config.hidden, batch_first=True) if config.bidirectional else None
        directions = 2 if config.bidirectional else 1
        features = directions * config.hidden * (2 if config.pooling == "maxmean" else 1)
        if config.bigram_buckets > 0:
            self.bigrams = nn.Embedding(config.bigram_buckets, config.bigram_dim)
            features += config.bigram_dim
        else:
            self.bigrams = None
        self.dropout = nn.Dropout(config.dropout)
        self.head = nn.Linear(features, 1)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """ids [B, T] int64, lengths [B] int64 (>= 1) -> P(positive) [B]."""
        B, T = ids.shape
        positions = torch.arange(T, device=ids.device).unsqueeze(0)         # [1, T]
        mask = positions < lengths.unsqueeze(1)                              # [B, T] real tokens
        x = self.dropout(self.embedding(ids))                                # [B, T, E]

        outputs = [self._run(self.forward_rnn, x)]                            # [B, T, H]
        if self.backward_rnn is not None:
            # Reverse each review within its length: position t reads token (length - 1 - t).
            reverse = (lengths.unsqueeze(1) - 1 - positions).clamp(min=0)
            reverse = torch.where(mask, reverse, positions)                   # padding stays in place
            index = reverse.unsqueeze(2).expand(B, T, x.shape[2])
            backward = self._run(self.backward_rnn, torch.gather(x, 1, index))
            index = reverse.unsqueeze(2).expand(B, T, backward.shape[2])
            outputs.append(torch.gather(backward, 1, index))                  # back in reading order
        states = torch.cat(outputs, dim=2)                                   # [B, T, D*H]

        if self.config.pooling == "last":
            last = (lengths - 1).clamp(min=0).view(B, 1, 1).expand(B, 1, states.shape[2])
            features = torch.gather(states, 1, last).squeeze(1)
        else:
            m = mask.unsqueeze(2).to(states.dtype)
            mean = (states * m).sum(1) / lengths.clamp(min=1).unsqueeze(1).to(states.dtype)
            maxed = states.masked_fill(~mask.unsqueeze(2), -1e4).max(1).values
            features = torch.cat([maxed, mean], dim=1)

        if self.bigrams is not None:
            features = torch.cat([features, self._bigram_features(ids, mask, lengths)], dim=1)
        return torch.sigmoid(self.head(self.dropout(features)).squeeze(1))

    def _run(self, rnn: nn.Module, x: torch.Tensor) -> torch.Tensor:
        # An explicit zero state sized from the input keeps the batch size dynamic in ONNX.
        h0 = x.new_zeros(1, x.shape[0], self.config.hidden)
        out, _ = rnn(x, (h0, h0) if self.config.cell == "lstm" else h0)
        return out

    def _bigram_features(self, ids: torch.Tensor, mask: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        assert self.bigrams is not None
        # A one-token review has no bigram: the slices are empty and the features zero.
        hashed = (ids[:, :-1] * _HASH_A + ids[:, 1:] * _HASH_B) % self.config.bigram_buckets  # [B, T-1]
        valid = mask[:, 1:].to(self.head.weight.dtype)                                       # both tokens real
        weights = valid / (lengths - 1).clamp(min=1).unsqueeze(1).to(valid.dtype)           # mean over bigrams
        embedded = self.bigrams(hashed)                                                      # [B, T-1, Db]
        return (embedded * weights.unsqueeze(2)).sum(1)

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.parameters())
