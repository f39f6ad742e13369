# Fetches the pinned SARIF Multitool (Microsoft's validator, a self-contained Linux binary
# published as an npm package) at configure time, checks its sha256 and extracts it once into
# the build tree. The SARIF test validates dbaudit's output with it. Nothing of it is committed.
#
# Lookup order for the tarball: DBAUDIT_SARIF_MULTITOOL_DIR (an offline folder, cache variable
# or environment variable), the build tree, then `npm pack` (which uses npm's own configuration).
# Sets SARIF_MULTITOOL_EXECUTABLE.
set(SARIF_MULTITOOL_PACKAGE "@microsoft/sarif-multitool-linux")
set(SARIF_MULTITOOL_VERSION "5.7.0")
set(SARIF_MULTITOOL_SHA256 "27d8e3e96dde578a23b7c45035b8d741fece5731e2700aa068015b8c44d1514e")

set(_sarif_tarball_name microsoft-sarif-multitool-linux-${SARIF_MULTITOOL_VERSION}.tgz)
set(_sarif_root ${PROJECT_BINARY_DIR}/_sarif_multitool)
set(_sarif_tarball ${_sarif_root}/${_sarif_tarball_name})
set(_sarif_package_dir ${_sarif_root}/${SARIF_MULTITOOL_VERSION}/package)

if(NOT DBAUDIT_SARIF_MULTITOOL_DIR AND DEFINED ENV{DBAUDIT_SARIF_MULTITOOL_DIR})
  set(DBAUDIT_SARIF_MULTITOOL_DIR $ENV{DBAUDIT_SARIF_MULTITOOL_DIR})
endif()

function(_dbaudit_sarif_tarball_is_valid path result)
  set(${result} FALSE PARENT_SCOPE)
  if(EXISTS ${path})
    file(SHA256 ${path} actual)
    if(actual STREQUAL SARIF_MULTITOOL_SHA256)
      set(${result} TRUE PARENT_SCOPE)
    endif()
  endif()
endfunction()

# The extracted binary is trusted only if it came from a verified tarball: the stamp records
# the sha256 it was extracted from.
set(_sarif_stamp ${_sarif_root}/${SARIF_MULTITOOL_VERSION}/extracted-from.sha256)
set(_sarif_extracted FALSE)
if(EXISTS ${_sarif_stamp} AND EXISTS ${_sarif_package_dir}/Sarif.Multitool)
  file(READ ${_sarif_stamp} _stamp)
  string(STRIP "${_stamp}" _stamp)
  if(_stamp STREQUAL SARIF_MULTITOOL_SHA256)
    set(_sarif_extracted TRUE)
  endif()
endif()

if(NOT _sarif_extracted)
  file(MAKE_DIRECTORY ${_sarif_root})
  _dbaudit_sarif_tarball_is_valid(${_sarif_tarball} _valid)
  if(NOT _valid AND DBAUDIT_SARIF_MULTITOOL_DIR AND EXISTS ${DBAUDIT_SARIF_MULTITOOL_DIR}/${_sarif_tarball_name})
    file(COPY ${DBAUDIT_SARIF_MULTITOOL_DIR}/${_sarif_tarball_name} DESTINATION ${_sarif_root})
    _dbaudit_sarif_tarball_is_valid(${_sarif_tarball} _valid)
  endif()
  if(NOT _valid)
    find_program(NPM_EXECUTABLE npm REQUIRED)
    message(STATUS "Fetching ${SARIF_MULTITOOL_PACKAGE}@${SARIF_MULTITOOL_VERSION} with npm pack (~44 MB)")
    execute_process(
      COMMAND ${NPM_EXECUTABLE} pack ${SARIF_MULTITOOL_PACKAGE}@${SARIF_MULTITOOL_VERSION}
              --ignore-scripts --silent --pack-destination ${_sarif_root}
      WORKING_DIRECTORY ${_sarif_root}
      RESULT_VARIABLE _npm_result
      OUTPUT_VARIABLE _npm_output
      ERROR_VARIABLE _npm_error)
    if(NOT _npm_result EQUAL 0)
      message(FATAL_ERROR "npm pack ${SARIF_MULTITOOL_PACKAGE}@${SARIF_MULTITOOL_VERSION} failed:\n${_npm_error}")
    endif()
    if(NOT EXISTS ${_sarif_tarball})
      message(FATAL_ERROR "npm pack did not produce ${_sarif_tarball}")
    endif()
    file(SHA256 ${_sarif_tarball} _actual)
    if(NOT _actual STREQUAL SARIF_MULTITOOL_SHA256)
      file(REMOVE ${_sarif_tarball})
      message(FATAL_ERROR "${_sarif_tarball_name}: sha256 ${_actual} does not match the pin "
                          "${SARIF_MULTITOOL_SHA256} (cmake/SarifMultitool.cmake)")
    endif()
  endif()
  file(REMOVE_RECURSE ${_sarif_root}/${SARIF_MULTITOOL_VERSION})
  file(MAKE_DIRECTORY ${_sarif_root}/${SARIF_MULTITOOL_VERSION})
  file(ARCHIVE_EXTRACT INPUT ${_sarif_tarball} DESTINATION ${_sarif_root}/${SARIF_MULTITOOL_VERSION})
  # The package's postinstall would do this; `npm pack` runs no scripts.
  file(CHMOD ${_sarif_package_dir}/Sarif.Multitool
       PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  file(WRITE ${_sarif_stamp} "${SARIF_MULTITOOL_SHA256}\n")
endif()

set(SARIF_MULTITOOL_EXECUTABLE ${_sarif_package_dir}/Sarif.Multitool)
