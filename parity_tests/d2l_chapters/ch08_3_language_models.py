# d2l 8.3 Language Models and the Dataset (token statistics and the two minibatch samplers)
import random

import torch
from d2l import torch as d2l

tokens = d2l.tokenize(d2l.read_time_machine())
corpus = [token for line in tokens for token in line]
vocab = d2l.Vocab(corpus)
top = vocab.token_freqs[:10]
freqs = [freq for token, freq in vocab.token_freqs]
bigram_tokens = [pair for pair in zip(corpus[:-1], corpus[1:])]
bigram_vocab = d2l.Vocab(bigram_tokens)
trigram_tokens = [triple for triple in zip(corpus[:-2], corpus[1:-1], corpus[2:])]
trigram_vocab = d2l.Vocab(trigram_tokens)
my_seq = list(range(35))
random_batches = [(X, Y) for X, Y in d2l.seq_data_iter_random(my_seq, batch_size=2, num_steps=5)]
sequential_batches = [(X, Y) for X, Y in d2l.seq_data_iter_sequential(my_seq, batch_size=2, num_steps=5)]

RESULTS = {"top": top, "freqs": freqs[:50], "bigrams": bigram_vocab.token_freqs[:10],
           "trigrams": trigram_vocab.token_freqs[:10], "random": random_batches, "sequential": sequential_batches}
