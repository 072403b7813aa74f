"""Tools for seeing what autograd does: the graph as DOT, and a trace of backward."""
from .graph import render, to_dot
from .picture import GraphPicture, draw
from .trace import BackwardTrace, Record, trace_backward

__all__ = ["to_dot", "render", "draw", "GraphPicture", "trace_backward", "BackwardTrace", "Record"]
