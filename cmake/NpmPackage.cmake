# dbaudit_npm_package(<out_var> PACKAGE <name> VERSION <v> SHA256 <hex> ROOT <dir>
#                     [OFFLINE_DIR <dir>])
#
# Brings a pinned npm package into the build tree at configure time, without installing it
# and without running its scripts: the tarball is looked for in ROOT, then in OFFLINE_DIR (a
# folder for machines without the registry), then fetched with `npm pack` (which uses npm's
# own configuration). Its sha256 must match the pin, or configuration stops. It is extracted
# once; a stamp records the sha256 it was extracted from, so a tampered tree is re-extracted.
# Sets <out_var> to the extracted `package/` folder.
function(dbaudit_npm_package out_var)
  cmake_parse_arguments(ARG "" "PACKAGE;VERSION;SHA256;ROOT;OFFLINE_DIR" "" ${ARGN})
  # npm names scoped packages' tarballs "scope-name-version.tgz" without the '@'.
  string(REGEX REPLACE "^@" "" tarball_stem "${ARG_PACKAGE}")
  string(REPLACE "/" "-" tarball_stem "${tarball_stem}")
  set(tarball_name ${tarball_stem}-${ARG_VERSION}.tgz)
  set(tarball ${ARG_ROOT}/${tarball_name})
  set(extract_dir ${ARG_ROOT}/${ARG_VERSION})
  set(stamp ${extract_dir}/extracted-from.sha256)
  set(${out_var} ${extract_dir}/package PARENT_SCOPE)

  if(EXISTS ${stamp})
    file(READ ${stamp} extracted_from)
    string(STRIP "${extracted_from}" extracted_from)
    if(extracted_from STREQUAL ARG_SHA256)
      return()
    endif()
  endif()

  file(MAKE_DIRECTORY ${ARG_ROOT})
  set(actual "")
  if(EXISTS ${tarball})
    file(SHA256 ${tarball} actual)
  endif()
  if(NOT actual STREQUAL ARG_SHA256 AND ARG_OFFLINE_DIR AND EXISTS ${ARG_OFFLINE_DIR}/${tarball_name})
    file(COPY ${ARG_OFFLINE_DIR}/${tarball_name} DESTINATION ${ARG_ROOT})
    file(SHA256 ${tarball} actual)
  endif()
  if(NOT actual STREQUAL ARG_SHA256)
    find_program(NPM_EXECUTABLE npm REQUIRED)
    message(STATUS "Fetching ${ARG_PACKAGE}@${ARG_VERSION} with npm pack")
    execute_process(
      COMMAND ${NPM_EXECUTABLE} pack ${ARG_PACKAGE}@${ARG_VERSION} --ignore-scripts --silent
              --pack-destination ${ARG_ROOT}
      WORKING_DIRECTORY ${ARG_ROOT}
      RESULT_VARIABLE npm_result
      OUTPUT_QUIET
      ERROR_VARIABLE npm_error)
    if(NOT npm_result EQUAL 0)
      message(FATAL_ERROR "npm pack ${ARG_PACKAGE}@${ARG_VERSION} failed:\n${npm_error}")
    endif()
    if(NOT EXISTS ${tarball})
      message(FATAL_ERROR "npm pack did not produce ${tarball}")
    endif()
    file(SHA256 ${tarball} actual)
    if(NOT actual STREQUAL ARG_SHA256)
      file(REMOVE ${tarball})
      message(FATAL_ERROR "${tarball_name}: sha256 ${actual} does not match the pin ${ARG_SHA256}")
    endif()
  endif()

  file(REMOVE_RECURSE ${extract_dir})
  file(MAKE_DIRECTORY ${extract_dir})
  file(ARCHIVE_EXTRACT INPUT ${tarball} DESTINATION ${extract_dir})
  file(WRITE ${stamp} "${ARG_SHA256}\n")
endfunction()
