# Fetches the pinned tree-sitter-python package from the npm registry at configure time,
# checks its sha256 and extracts it once. Nothing of it is ever committed.
#
# Lookup order for the tarball: DBAUDIT_GRAMMAR_DIR (an offline folder, cache variable or
# environment variable), the build tree, then `npm pack` (which uses npm's own configuration).
include(${PROJECT_SOURCE_DIR}/grammars/tree-sitter-python.pin.cmake)

set(_tarball_name ${TREE_SITTER_PYTHON_PACKAGE}-${TREE_SITTER_PYTHON_VERSION}.tgz)
set(_grammar_root ${PROJECT_BINARY_DIR}/_grammar)
set(_tarball ${_grammar_root}/${_tarball_name})

if(NOT DBAUDIT_GRAMMAR_DIR AND DEFINED ENV{DBAUDIT_GRAMMAR_DIR})
  set(DBAUDIT_GRAMMAR_DIR $ENV{DBAUDIT_GRAMMAR_DIR})
endif()

function(_dbaudit_tarball_is_valid path result)
  set(${result} FALSE PARENT_SCOPE)
  if(EXISTS ${path})
    file(SHA256 ${path} actual)
    if(actual STREQUAL TREE_SITTER_PYTHON_SHA256)
      set(${result} TRUE PARENT_SCOPE)
    endif()
  endif()
endfunction()

file(MAKE_DIRECTORY ${_grammar_root})
_dbaudit_tarball_is_valid(${_tarball} _valid)
if(NOT _valid AND DBAUDIT_GRAMMAR_DIR AND EXISTS ${DBAUDIT_GRAMMAR_DIR}/${_tarball_name})
  file(COPY ${DBAUDIT_GRAMMAR_DIR}/${_tarball_name} DESTINATION ${_grammar_root})
  _dbaudit_tarball_is_valid(${_tarball} _valid)
endif()
if(NOT _valid)
  find_program(NPM_EXECUTABLE npm REQUIRED)
  message(STATUS "Fetching ${TREE_SITTER_PYTHON_PACKAGE}@${TREE_SITTER_PYTHON_VERSION} with npm pack")
  execute_process(
    COMMAND ${NPM_EXECUTABLE} pack ${TREE_SITTER_PYTHON_PACKAGE}@${TREE_SITTER_PYTHON_VERSION}
            --ignore-scripts --silent --pack-destination ${_grammar_root}
    WORKING_DIRECTORY ${_grammar_root}
    RESULT_VARIABLE _npm_result
    OUTPUT_VARIABLE _npm_output
    ERROR_VARIABLE _npm_error)
  if(NOT _npm_result EQUAL 0)
    message(FATAL_ERROR "npm pack ${TREE_SITTER_PYTHON_PACKAGE}@${TREE_SITTER_PYTHON_VERSION} failed:\n${_npm_error}")
  endif()
  if(NOT EXISTS ${_tarball})
    message(FATAL_ERROR "npm pack did not produce ${_tarball}")
  endif()
  file(SHA256 ${_tarball} _actual)
  if(NOT _actual STREQUAL TREE_SITTER_PYTHON_SHA256)
    file(REMOVE ${_tarball})
    message(FATAL_ERROR "${_tarball_name}: sha256 ${_actual} does not match the pin "
                        "${TREE_SITTER_PYTHON_SHA256} (grammars/tree-sitter-python.pin.cmake)")
  endif()
endif()

set(TREE_SITTER_PYTHON_SRC ${_grammar_root}/${TREE_SITTER_PYTHON_VERSION}/package/src)
if(NOT EXISTS ${TREE_SITTER_PYTHON_SRC}/parser.c)
  file(MAKE_DIRECTORY ${_grammar_root}/${TREE_SITTER_PYTHON_VERSION})
  file(ARCHIVE_EXTRACT INPUT ${_tarball} DESTINATION ${_grammar_root}/${TREE_SITTER_PYTHON_VERSION}
       PATTERNS package/src)
endif()
