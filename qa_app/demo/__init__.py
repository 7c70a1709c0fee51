"""The demo organisation `flask seed-demo` builds: people and teams, then weeks of their work."""

from .organisation import DemoAlreadyLoaded, seed_demo

__all__ = ["DemoAlreadyLoaded", "seed_demo"]
