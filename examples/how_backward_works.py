"""How backward works: a guided walk through a two-layer network on four examples.

    python examples/how_backward_works.py [--out out/]

1. the forward pass builds a graph (written as DOT, and SVG when graphviz is installed);
2. backward visits it in reverse topological order;
3. each node applies its local derivative (the trace prints what every node receives and sends);
4. gradients accumulate in .grad until you zero them (and why calling backward twice fails);
5. broadcasting: a bias added to every row receives the *sum* of the rows' gradients;
6. backpropagation through time: a 3-step RNN's trace, its weight gradient as a sum over steps,
   and the product of Jacobians that makes gradients vanish or explode;
7. writing a new op (softplus) as a Function, checked with gradcheck and against PyTorch.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import tinygrad_edu  # noqa: F401  first, before NumPy: it lets both cores work (tinygrad_edu/parallel.py)
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import tinygrad_edu as tg  # noqa: E402
from tinygrad_edu.autograd import Function, topological_order  # noqa: E402

F = tg.nn.functional


def title(text: str) -> None:
    print(f"\n=== {text} " + "=" * max(0, 70 - len(text)))


class Softplus(Function):
    """y = log(1 + e^x).   dy/dx = e^x / (1 + e^x) = sigmoid(x).

    Forward as max(x, 0) + log(1 + e^-|x|), which never overflows; the backward reuses the
    identity with the sigmoid.
    """

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved
        return grad / (1 + np.exp(-x))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="out", help="folder for the graph files")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    title("1. the forward pass records a graph")
    rng = np.random.default_rng(0)
    X = tg.tensor(rng.standard_normal((4, 3)).astype(np.float32))
    y = tg.tensor([0, 1, 1, 0])
    W1 = tg.tensor(rng.standard_normal((3, 5)).astype(np.float32) * 0.5, requires_grad=True)
    b1 = tg.zeros(5, requires_grad=True)
    W2 = tg.tensor(rng.standard_normal((5, 2)).astype(np.float32) * 0.5, requires_grad=True)
    b2 = tg.zeros(2, requires_grad=True)
    z1 = X @ W1 + b1          # (4, 5): b1 is broadcast over the 4 rows
    z1.retain_grad()          # keep dL/dz1 to look at it in step 5
    h = z1.relu()
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, y)
    print(f"loss = {loss.item():.6f}; every tensor made by an op remembers it: loss.grad_fn = {loss.grad_fn.name()}")
    names = {"X": X, "W1": W1, "b1": b1, "z1": z1, "h": h, "W2": W2, "b2": b2, "logits": logits, "loss": loss}
    graph = tg.viz.render(tg.viz.to_dot(loss, names, "two_layer_net"), out / "how_backward_works.svg")
    print(f"graph: {graph}")

    title("2. backward runs in reverse topological order")
    order = topological_order(loss)
    label = {id(t): n for n, t in names.items()}
    print("topological order (inputs first):")
    for t in order:
        op = t._ctx.name() if t._ctx else "leaf"
        print(f"  {label.get(id(t), '(intermediate)'):>15}  {op:<10} {t.shape}")
    print("backward visits the same list from the end, so a node runs only after every use of it\n"
          "has sent its gradient (the chain rule needs the total dL/d(node)).")

    title("3. each node applies its local derivative")
    for t in reversed(order):
        if t._ctx is not None:
            paragraph = (type(t._ctx).__doc__ or "").strip().split("\n\n")[0]
            doc = " ".join(line.strip() for line in paragraph.splitlines())
            print(f"  {t._ctx.name():<10} {doc}")
    print("\nthe trace of loss.backward():")
    loss.backward(trace=True, retain_graph=True)
    print(f"\nW1.grad =\n{W1.grad.numpy()}")

    title("4. gradients accumulate until you zero them")
    first = W2.grad.numpy().copy()
    loss.backward(retain_graph=True)           # a second backward without zeroing...
    print("after a second backward, W2.grad / first W2.grad =", np.round(W2.grad.numpy() / first, 6).ravel()[:4], "...")
    print("...which is why training loops call zero_grad() (or set .grad = None) every step.")
    for t in (W1, b1, W2, b2, z1):
        t.grad = None
    loss.backward()                            # the last allowed use: this one frees the graph
    try:
        loss.backward()
    except RuntimeError as e:
        print(f"a third backward raises: {str(e)[:90]}...")

    title("5. broadcasting: the bias gradient is a sum over rows")
    print(f"dL/dz1 has shape {z1.grad.shape}; b1 has shape {b1.shape}; b1 was added to all 4 rows, so")
    print(f"  b1.grad          = {np.round(b1.grad.numpy(), 6)}")
    print(f"  dL/dz1 summed    = {np.round(z1.grad.numpy().sum(axis=0), 6)}")
    print("every binary op does this reduction with one helper, tinygrad_edu.ops.unbroadcast.")

    title("6. backpropagation through time: a 3-step RNN")
    W_xh = tg.tensor(rng.standard_normal((2, 3)) * 0.5, dtype=tg.float64, requires_grad=True)
    W_hh = tg.tensor(rng.standard_normal((3, 3)) * 0.5, dtype=tg.float64, requires_grad=True)
    xs = [tg.tensor(rng.standard_normal((1, 2)), dtype=tg.float64) for _ in range(3)]
    h = tg.zeros(1, 3, dtype=tg.float64)
    states = [h]
    for x in xs:                                   # h_t = tanh(x_t W_xh + h_{t-1} W_hh)
        h = (x @ W_xh + h @ W_hh).tanh()
        h.retain_grad()
        states.append(h)
    loss = states[-1].sum()
    print("the unrolled graph uses W_hh three times; backward visits each use:")
    loss.backward(trace=True)
    contributions = []
    for t in range(1, 4):                          # dL/dW_hh at step t: h_{t-1}^T (dL/dh_t * tanh')
        delta = states[t].grad.numpy() * (1 - states[t].detach().numpy() ** 2)
        contributions.append(states[t - 1].detach().numpy().T @ delta)
    print("W_hh.grad is the sum of the three steps' contributions:")
    print(f"  |W_hh.grad - (c1 + c2 + c3)| = {np.abs(W_hh.grad.numpy() - sum(contributions)).max():.1e}")
    print("going back one step multiplies dL/dh_t by J_t = diag(1 - h_t^2) W_hh^T (plus what the loss adds")
    print("at that step; here only h_3 is in the loss):")
    for t in range(3, 0, -1):
        jac = (1 - states[t].detach().numpy().ravel() ** 2)[:, None] * W_hh.detach().numpy().T
        print(f"  |dL/dh_{t}| = {np.linalg.norm(states[t].grad.numpy()):.4f}"
              + (f"   ||J_{t}|| = {np.linalg.norm(jac, 2):.3f}" if t > 1 else ""))
    print("the product of Jacobians alone, in a linear recurrence h_t = h_{t-1} W (20 steps):")
    q, _ = np.linalg.qr(rng.standard_normal((3, 3)))  # an orthogonal matrix: every singular value 1
    for scale in (0.5, 1.0, 1.5):
        w = tg.tensor(q * scale)
        h0 = tg.tensor(rng.standard_normal((1, 3)), requires_grad=True)
        h = h0
        for _ in range(20):
            h = h @ w
        h.sum().backward()
        print(f"  W = {scale} x orthogonal: |dL/dh_0| = {np.linalg.norm(h0.grad.numpy()):.2e}   ({scale}^20 = {scale ** 20:.2e})")
    print("norms below 1 vanish geometrically, above 1 explode (tanh's slope < 1 only adds shrinking);")
    print("nn.utils.clip_grad_norm_ caps the joint norm of exploding gradients, gates (GRU, LSTM) keep paths near 1.")

    title("7. writing a new op: softplus")
    x = tg.tensor(rng.standard_normal(6) * 30, dtype=tg.float64, requires_grad=True)
    report = tg.gradcheck(lambda t: Softplus.apply(t), [x])
    print(report)
    try:
        import torch
    except ImportError:
        print("(torch not installed: skipping the comparison with torch.nn.functional.softplus)")
        return 0 if report else 1
    tx = torch.tensor(x.detach().numpy(), requires_grad=True)
    ours, theirs = Softplus.apply(x), torch.nn.functional.softplus(tx)
    g = rng.standard_normal(6)
    ours.backward(g)
    theirs.backward(torch.tensor(g))
    print(f"forward  max |ours - torch| = {np.abs(ours.detach().numpy() - theirs.detach().numpy()).max():.2e}")
    print(f"gradient max |ours - torch| = {np.abs(x.grad.numpy() - tx.grad.numpy()).max():.2e}")
    return 0 if report else 1


if __name__ == "__main__":
    sys.exit(main())
