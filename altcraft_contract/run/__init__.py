"""Layer 4, the run: a Session sends calls and checks every answer; the runner runs one scenario;
``build`` assembles a run from a target file or the embedded endpoint; Hypothesis profiles and its
engine lock; input coverage."""
