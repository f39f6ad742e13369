# The pinned tree-sitter-python grammar and tree-sitter runtime
# (grammars/tree-sitter-python.pin.cmake), fetched from the npm registry at configure time and
# checked by sha256. Only their C sources are used; nothing of them is committed.
# DBAUDIT_GRAMMAR_DIR (cache or environment variable) may name a folder holding the tarballs
# for machines without the registry.
include(NpmPackage)
include(${PROJECT_SOURCE_DIR}/grammars/tree-sitter-python.pin.cmake)

if(NOT DBAUDIT_GRAMMAR_DIR AND DEFINED ENV{DBAUDIT_GRAMMAR_DIR})
  set(DBAUDIT_GRAMMAR_DIR $ENV{DBAUDIT_GRAMMAR_DIR})
endif()

dbaudit_npm_package(_grammar_package
  PACKAGE ${TREE_SITTER_PYTHON_PACKAGE}
  VERSION ${TREE_SITTER_PYTHON_VERSION}
  SHA256 ${TREE_SITTER_PYTHON_SHA256}
  ROOT ${PROJECT_BINARY_DIR}/_grammar
  OFFLINE_DIR "${DBAUDIT_GRAMMAR_DIR}")
set(TREE_SITTER_PYTHON_SRC ${_grammar_package}/src)

dbaudit_npm_package(_runtime_package
  PACKAGE ${TREE_SITTER_RUNTIME_PACKAGE}
  VERSION ${TREE_SITTER_RUNTIME_VERSION}
  SHA256 ${TREE_SITTER_RUNTIME_SHA256}
  ROOT ${PROJECT_BINARY_DIR}/_tree_sitter
  OFFLINE_DIR "${DBAUDIT_GRAMMAR_DIR}")
set(TREE_SITTER_RUNTIME_DIR ${_runtime_package}/vendor/tree-sitter/lib)
