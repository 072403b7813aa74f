# d2l 8.2 Text Preprocessing (the text is the copy bundled with tinygrad_edu, checksum verified)
from d2l import torch as d2l

lines = d2l.read_time_machine()
tokens = d2l.tokenize(lines)
vocab = d2l.Vocab(tokens)
first_items = list(vocab.token_to_idx.items())[:10]
examples = [(tokens[i], vocab[tokens[i]]) for i in [0, 10]]
corpus, vocab = d2l.load_corpus_time_machine()

RESULTS = {"num_lines": len(lines), "line0": lines[0], "line10": lines[10], "first_items": first_items,
           "examples": examples, "corpus": len(corpus), "vocab": len(vocab), "chars": d2l.tokenize(lines[:2], 'char')}
