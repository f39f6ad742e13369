# The Python grammar, pinned. 0.23.6 is the newest release whose generated parser is ABI 14,
# the newest ABI Debian 12's libtree-sitter (0.20.7) accepts.
set(TREE_SITTER_PYTHON_PACKAGE tree-sitter-python)
set(TREE_SITTER_PYTHON_VERSION 0.23.6)
set(TREE_SITTER_PYTHON_SHA256 aab5b860d93dbf84b37fed532f7dacc0468ede5387d0c74911d68f964287662a)
