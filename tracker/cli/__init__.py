"""The command line: the scriptable face of the listening model."""
