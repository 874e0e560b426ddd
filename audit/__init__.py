from audit._version import __version__
