"""The camera form coach: pose sources, features, phase/rep/hold detection and form rules."""
