"""Translation-artifact detectors: one module per detector, registered by name."""
from audit.artifacts.registry import (REGISTRY, Detector, DetectorSettings, build, load_all,
                                      register, run_detectors)

__all__ = ["REGISTRY", "Detector", "DetectorSettings", "build", "load_all", "register", "run_detectors"]
