# The Python grammar and the tree-sitter runtime that runs it, pinned by version and sha256.
# Grammar 0.25.0 parses Python 3.14 (PEP 758 `except A, B:`, PEP 750 t-strings); its parser is
# ABI 15, which Debian 12's libtree-sitter (0.20.7, ABI 13-14) rejects, so the runtime is
# built from the C source the npm package `tree-sitter` ships (one translation unit). That
# runtime also survives malformed files (deeply unclosed brackets) that crash Debian's.
set(TREE_SITTER_PYTHON_PACKAGE tree-sitter-python)
set(TREE_SITTER_PYTHON_VERSION 0.25.0)
set(TREE_SITTER_PYTHON_SHA256 63b76b3fa8181fd79eaad4abcdb21e2babcb504dbfc7710a89934fa456d26096)

set(TREE_SITTER_RUNTIME_PACKAGE tree-sitter)
set(TREE_SITTER_RUNTIME_VERSION 0.25.1)
set(TREE_SITTER_RUNTIME_SHA256 07aeba8dd71630e7e72b2d4ca3bd2680c3471824100cc5ebff44e78a6ed0b6d3)
