"""The bottom layer: helpers every app may use (paging, exports, command-line plumbing,
template filters). It imports no chainproof app except accounts' models for
``--organization``; apps import it, never the other way round."""
