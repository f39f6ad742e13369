# The pinned SARIF Multitool (Microsoft's validator: a self-contained Linux binary published as
# an npm package), fetched at configure time and checked by sha256. The tests validate
# dbaudit's SARIF with it; nothing of it is committed. DBAUDIT_SARIF_MULTITOOL_DIR (cache or
# environment variable) may name a folder holding the tarball. Sets SARIF_MULTITOOL_EXECUTABLE.
include(NpmPackage)

if(NOT DBAUDIT_SARIF_MULTITOOL_DIR AND DEFINED ENV{DBAUDIT_SARIF_MULTITOOL_DIR})
  set(DBAUDIT_SARIF_MULTITOOL_DIR $ENV{DBAUDIT_SARIF_MULTITOOL_DIR})
endif()

dbaudit_npm_package(_sarif_package
  PACKAGE "@microsoft/sarif-multitool-linux"
  VERSION 5.7.0
  SHA256 27d8e3e96dde578a23b7c45035b8d741fece5731e2700aa068015b8c44d1514e
  ROOT ${PROJECT_BINARY_DIR}/_sarif_multitool
  OFFLINE_DIR "${DBAUDIT_SARIF_MULTITOOL_DIR}")
set(SARIF_MULTITOOL_EXECUTABLE ${_sarif_package}/Sarif.Multitool)
# The package's postinstall would make it executable; `npm pack` runs no scripts.
file(CHMOD ${SARIF_MULTITOOL_EXECUTABLE}
     PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
