"""The ReelSense sentiment model. Input: ids [B, T] int64 (right-padded with 0) and lengths
[B] int64; output: P(positive) [B].

Two branches, each a whole classifier, mixed by three numbers fitted on the validation split:
- the recurrent branch (the core): embedding, a bidirectional GRU or LSTM, max and mean
  pooling over time (or the state at the last real step, as the seed did), dropout, a linear head;
- the n-gram branch (optional): a linear model over which unigrams and hashed bigrams the review
  contains (each counted once), each weight scaled by its naive-Bayes log-count ratio from the
  training reviews (NBSVM, Wang and Manning 2012): what bag-of-words classifiers do well; it costs
  a few lookups per token. The ratios are folded into the weights before export.
Training fits one branch after the other, each on its own loss, so neither leans on the other.
The recurrent branch starts from the pretrained encoder (lm.py: same parameter names).

The output is calibrated: logit / T(n) with T(n) = exp(a + b log n) for n tokens (calibration.py),
so a score is a probability on a one-line snippet and on a long review alike.

Written to export cleanly to ONNX: no packed sequences; the backward direction reads each
review reversed within its own length, so padding never reaches a real position, and pooling
masks the padding.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class ModelConfig:
    vocab_size: int = 20_000
    embed_dim: int = 64          # token embedding width
    hidden: int = 32             # recurrent state per direction
    cell: str = "gru"            # "gru" or "lstm"
    bidirectional: bool = True
    pooling: str = "maxmean"     # "maxmean": max and mean over time; "last": state at the last real step (the seed)
    dropout: float = 0.3
    ngram_buckets: int = 0       # >0 adds the n-gram branch with this many hashed bigram weights


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
        self.dropout = nn.Dropout(config.dropout)
        self.head = nn.Linear(directions * config.hidden * (2 if config.pooling == "maxmean" else 1), 1)
        if config.ngram_buckets > 0:
            self.unigram_weights = nn.Embedding(config.vocab_size, 1, padding_idx=0)
            self.bigram_weights = nn.Embedding(config.ngram_buckets, 1)
            self.ngram_bias = nn.Parameter(torch.zeros(1))
            nn.init.zeros_(self.unigram_weights.weight)
            nn.init.zeros_(self.bigram_weights.weight)
            # Naive-Bayes log-count ratios (set_ngram_prior); ones until set; None once folded.
            self.register_buffer("unigram_prior", torch.ones(config.vocab_size))
            self.register_buffer("bigram_prior", torch.ones(config.ngram_buckets))
            # logit = a * recurrent + b * n-gram + c, fitted on validation after training.
            self.mix = nn.Linear(2, 1)
            with torch.no_grad():
                self.mix.weight.fill_(1.0)
                self.mix.bias.zero_()
            self.mix.requires_grad_(False)
        # (a, b) of the length-dependent temperature; (0, 0) is no calibration.
        self.register_buffer("calibration", torch.zeros(2))

    def branch_parameters(self) -> dict[str, list[nn.Parameter]]:
        ngram = [p for n, p in self.named_parameters() if n.startswith(("unigram_", "bigram_", "ngram_"))]
        recurrent = [p for n, p in self.named_parameters() if not n.startswith(("unigram_", "bigram_", "ngram_", "mix"))]
        return {"recurrent": recurrent, "ngram": ngram}

    def layer_groups(self) -> list[list[nn.Parameter]]:
        """The recurrent branch from the top down (head, LSTMs, embedding): what gradual
        unfreezing thaws one at a time and discriminative learning rates tell apart."""
        rnns = [p for m in (self.forward_rnn, self.backward_rnn) if m is not None for p in m.parameters()]
        return [list(self.head.parameters()), rnns, list(self.embedding.parameters()) if self.embedding is not None else []]

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """ids [B, T] int64, lengths [B] int64 (>= 1) -> calibrated P(positive) [B]."""
        temperature = torch.exp(self.calibration[0] + self.calibration[1] * torch.log(lengths.clamp(min=1).to(self.calibration.dtype)))
        return torch.sigmoid(self.logit(ids, lengths) / temperature)

    def logit(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """The uncalibrated logit [B]: the recurrent branch's, or both branches mixed."""
        return self.combine(self.branch_logits(ids, lengths))

    def combine(self, logits: dict[str, torch.Tensor]) -> torch.Tensor:
        """The branches' logits [B] -> the model's: the recurrent one, or both mixed."""
        if "ngram" not in logits:
            return logits["recurrent"]
        mixed = torch.stack([logits["recurrent"], logits["ngram"]], dim=1)  # [B, 2]
        return self.mix(mixed).squeeze(1)

    def branch_names(self) -> tuple[str, ...]:
        return ("ngram", "recurrent") if self.config.ngram_buckets > 0 else ("recurrent",)

    def branch_logits(self, ids: torch.Tensor, lengths: torch.Tensor, branches: tuple[str, ...] | None = None) -> dict[str, torch.Tensor]:
        """Each branch's logit [B]; `branches` limits the work to some of them (training one branch)."""
        mask = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0) < lengths.unsqueeze(1)  # [B, T]
        logits = {}
        for name in branches or self.branch_names():
            logits[name] = self._ngram_logit(ids, lengths, mask) if name == "ngram" else self._recurrent_logit(ids, lengths, mask)
        return logits

    def _recurrent_logit(self, ids: torch.Tensor, lengths: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        B, T = ids.shape
        positions = torch.arange(T, device=ids.device).unsqueeze(0)          # [1, T]
        x = self.dropout(self.embed(ids))                                     # [B, T, E]
        outputs = [self._run(self.forward_rnn, x)]                             # [B, T, H]
        if self.backward_rnn is not None:
            # Reverse each review within its length: position t reads token (length - 1 - t).
            reverse = (lengths.unsqueeze(1) - 1 - positions).clamp(min=0)
            reverse = torch.where(mask, reverse, positions)                    # padding stays in place
            backward = self._run(self.backward_rnn, torch.gather(x, 1, reverse.unsqueeze(2).expand(B, T, x.shape[2])))
            outputs.append(torch.gather(backward, 1, reverse.unsqueeze(2).expand(B, T, backward.shape[2])))
        states = torch.cat(outputs, dim=2)                                    # [B, T, D*H]
        if self.config.pooling == "last":
            last = (lengths - 1).clamp(min=0).view(B, 1, 1).expand(B, 1, states.shape[2])
            features = torch.gather(states, 1, last).squeeze(1)
        else:
            m = mask.unsqueeze(2).to(states.dtype)
            mean = (states * m).sum(1) / lengths.clamp(min=1).unsqueeze(1).to(states.dtype)
            maxed = states.masked_fill(~mask.unsqueeze(2), -1e4).max(1).values
            features = torch.cat([maxed, mean], dim=1)
        return self.head(self.dropout(features)).squeeze(1)

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        if self.embedding is not None:
            return self.embedding(ids)
        return self.embedding_int8[ids].to(self.embedding_scale.dtype) * self.embedding_scale[ids]

    def quantize_embedding(self) -> None:
        """Replaces the embedding (most of the parameters) by int8 rows with one scale each: a
        quarter of the size on disk and in the extension. Done after training, before calibration
        and evaluation, so every reported figure is the quantised model's; PyTorch and ONNX run
        the same Gather, Cast and Mul, so they still agree to float precision."""
        with torch.no_grad():
            weight = self.embedding.weight.detach()
            scale = weight.abs().amax(dim=1, keepdim=True).clamp(min=1e-8) / 127.0
            self.register_buffer("embedding_int8", torch.round(weight / scale).to(torch.int8))
            self.register_buffer("embedding_scale", scale)
        self.embedding = None

    def _run(self, rnn: nn.Module, x: torch.Tensor) -> torch.Tensor:
        # An explicit zero state sized from the input keeps the batch size dynamic in ONNX.
        h0 = x.new_zeros(1, x.shape[0], self.config.hidden)
        out, _ = rnn(x, (h0, h0) if self.config.cell == "lstm" else h0)
        return out

    def _ngram_logit(self, ids: torch.Tensor, lengths: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Sum of the (prior-scaled) weights of the distinct unigrams and bigrams in the review,
        over the square root of how many there are (a one-token review has no bigram)."""
        dtype = self.head.weight.dtype
        unigrams, unigram_on = distinct(ids, mask)
        bigrams, bigram_on = distinct(self.bigram_buckets(ids), mask[:, 1:])
        unigram_w = self.unigram_weights(unigrams).squeeze(2)
        bigram_w = self.bigram_weights(bigrams).squeeze(2)
        if self.unigram_prior is not None:
            unigram_w = unigram_w * self.unigram_prior[unigrams]
            bigram_w = bigram_w * self.bigram_prior[bigrams]
        total = (unigram_w * unigram_on.to(dtype)).sum(1) + (bigram_w * bigram_on.to(dtype)).sum(1)
        count = (unigram_on.sum(1) + bigram_on.sum(1)).clamp(min=1).to(dtype)
        return total / count.sqrt() + self.ngram_bias

    def bigram_buckets(self, ids: torch.Tensor) -> torch.Tensor:
        """[B, T] ids -> [B, T-1] hashed bigram buckets."""
        return (ids[:, :-1] * _HASH_A + ids[:, 1:] * _HASH_B) % self.config.ngram_buckets

    def set_ngram_prior(self, unigram: torch.Tensor, bigram: torch.Tensor) -> None:
        self.unigram_prior.copy_(unigram)
        self.bigram_prior.copy_(bigram)

    def fold_ngram_prior(self) -> None:
        """Multiplies the priors into the weights and drops them, so the exported graph carries
        one table per n-gram order instead of two. Training is over once this is done."""
        with torch.no_grad():
            self.unigram_weights.weight.mul_(self.unigram_prior.unsqueeze(1))
            self.bigram_weights.weight.mul_(self.bigram_prior.unsqueeze(1))
        self.unigram_prior = None
        self.bigram_prior = None

    def drop_ngram(self) -> None:
        """Removes the n-gram branch and the mix: the recurrent branch alone is the model."""
        for name in ("unigram_weights", "bigram_weights", "ngram_bias", "unigram_prior", "bigram_prior", "mix"):
            if hasattr(self, name):
                delattr(self, name)
        self.config.ngram_buckets = 0

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.parameters())


def distinct(x: torch.Tensor, valid: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """[B, T] non-negative values and validity -> the values sorted along T, and a mask that is
    true once for each distinct valid value: counting each n-gram once in O(T log T), in plain
    tensor ops that export to ONNX (a sort is a TopK). Invalid places become 0 and are masked."""
    ordered, _ = torch.sort(x.masked_fill(~valid, -1), dim=1)
    previous = torch.cat([torch.full_like(ordered[:, :1], -1), ordered[:, :-1]], dim=1)
    return ordered.clamp(min=0), (ordered != previous) & (ordered >= 0)
