# Every dependency comes from a Debian package (scripts/install-deps.sh).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.11 CONFIG REQUIRED)
find_package(fmt CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(PostgreSQL REQUIRED)

# The tree-sitter runtime is built from its pinned source (cmake/PythonGrammar.cmake).
pkg_check_modules(LIBPQXX REQUIRED IMPORTED_TARGET libpqxx)
pkg_check_modules(TOMLPLUSPLUS REQUIRED IMPORTED_TARGET tomlplusplus)
# libcmark-gfm-dev ships only this .pc (no CMake config); its Libs also name
# -lcmark-gfm-extensions (the GFM table extension, from libcmark-gfm-extensions-dev).
pkg_check_modules(CMARK_GFM REQUIRED IMPORTED_TARGET libcmark-gfm)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)

# libpg_query ships neither a pkg-config file nor a CMake config.
find_path(PG_QUERY_INCLUDE_DIR pg_query.h REQUIRED)
find_library(PG_QUERY_LIBRARY pg_query REQUIRED)
add_library(pg_query::pg_query UNKNOWN IMPORTED)
set_target_properties(pg_query::pg_query PROPERTIES
  IMPORTED_LOCATION ${PG_QUERY_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${PG_QUERY_INCLUDE_DIR})

# libpqxx.pc omits libpq from Libs.
add_library(dbaudit_pqxx INTERFACE)
target_link_libraries(dbaudit_pqxx INTERFACE PkgConfig::LIBPQXX PostgreSQL::PostgreSQL)
