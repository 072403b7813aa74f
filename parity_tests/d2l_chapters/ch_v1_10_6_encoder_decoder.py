# d2l 1.0, 10.6 The Encoder-Decoder Architecture: the book's PyTorch code: the Encoder and
# Decoder interfaces and the EncoderDecoder that joins them. The section only defines them; the
# added lines at the end (marked) call the bare interfaces and one small pair built on them.
from d2l import torch as d2l
from torch import nn

class Encoder(nn.Module):  #@save
    """The base encoder interface for the encoder--decoder architecture."""
    def __init__(self):
        super().__init__()

    # Later there can be additional arguments (e.g., length excluding padding)
    def forward(self, X, *args):
        raise NotImplementedError

class Decoder(nn.Module):  #@save
    """The base decoder interface for the encoder--decoder architecture."""
    def __init__(self):
        super().__init__()

    # Later there can be additional arguments (e.g., length excluding padding)
    def init_state(self, enc_all_outputs, *args):
        raise NotImplementedError

    def forward(self, X, state):
        raise NotImplementedError

class EncoderDecoder(d2l.Classifier):  #@save
    """The base class for the encoder--decoder architecture."""
    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder

    def forward(self, enc_X, dec_X, *args):
        enc_all_outputs = self.encoder(enc_X, *args)
        dec_state = self.decoder.init_state(enc_all_outputs, *args)
        # Return decoder output only
        return self.decoder(dec_X, dec_state)[0]

# Added: the bare interfaces raise; a small pair built on them runs through EncoderDecoder.
raised = []
for call in (lambda: Encoder()(d2l.ones((2, 3))), lambda: Decoder().init_state(None),
             lambda: Decoder()(d2l.ones((2, 3)), None)):
    try:
        call()
    except NotImplementedError:
        raised.append("NotImplementedError")

class SumEncoder(Encoder):
    def __init__(self):
        super().__init__()
        self.dense = nn.LazyLinear(4)

    def forward(self, X, *args):
        return self.dense(X)

class AddDecoder(Decoder):
    def __init__(self):
        super().__init__()
        self.dense = nn.LazyLinear(4)

    def init_state(self, enc_all_outputs, *args):
        return enc_all_outputs

    def forward(self, X, state):
        return self.dense(X) + state, state

model = EncoderDecoder(SumEncoder(), AddDecoder())
out = model(d2l.ones((2, 3)), d2l.rand(2, 5))
RESULTS = {"raised": raised, "out": out, "names": [n for n, _ in model.named_parameters()]}
