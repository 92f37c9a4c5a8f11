"""Emission factors: the model, versioned datasets, the shipped catalogue and loaders."""
