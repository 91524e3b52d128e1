# The embedded SQL engine (DuckDB) for quiver's Flight SQL front end: the static
# library and headers that scripts/duckdb.sh builds once per version into a cache
# outside the clone (scripts/bootstrap.sh runs it; ~30 min the first time).
#
# QUIVER_SQL_ENGINE (ON by default): QUIVER_HAVE_DUCKDB is ON and quiver::duckdb is
# an IMPORTED target; configuring fails, saying what to run, when the engine is not
# built. OFF: quiverd is built without it; it then serves the Flight SQL metadata
# commands and refuses statements, saying why (docs/sql.md).
set(QUIVER_DUCKDB_DIR "" CACHE PATH
    "Cache directory of the built engine (lib/libquiver_duckdb.a, include/duckdb.h)")
set(QUIVER_HAVE_DUCKDB OFF)
option(QUIVER_SQL_ENGINE "Link the SQL engine (DuckDB) from scripts/duckdb.sh's cache" ON)
if(NOT QUIVER_SQL_ENGINE)
  message(STATUS "quiver: built without the SQL engine (QUIVER_SQL_ENGINE=OFF)")
  return()
endif()
set(_duckdb "${QUIVER_DUCKDB_DIR}")
if(NOT _duckdb)
  execute_process(
    COMMAND "${CMAKE_SOURCE_DIR}/scripts/duckdb.sh" path
    OUTPUT_VARIABLE _duckdb OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    set(_duckdb "")
  endif()
endif()
if(_duckdb AND EXISTS "${_duckdb}/lib/libquiver_duckdb.a" AND EXISTS "${_duckdb}/include/duckdb.h")
  set(QUIVER_HAVE_DUCKDB ON)
  message(STATUS "quiver: SQL engine from ${_duckdb}")
  add_library(quiver::duckdb STATIC IMPORTED GLOBAL)
  set_target_properties(quiver::duckdb PROPERTIES
    IMPORTED_LOCATION "${_duckdb}/lib/libquiver_duckdb.a"
    # SYSTEM: DuckDB's headers are not ours to warn about.
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${_duckdb}/include"
    INTERFACE_INCLUDE_DIRECTORIES "${_duckdb}/include"
    INTERFACE_LINK_LIBRARIES "Threads::Threads;${CMAKE_DL_LIBS};m")
else()
  message(FATAL_ERROR "quiver: the SQL engine is not built: run scripts/bootstrap.sh (or "
                      "scripts/duckdb.sh build; about 30 minutes the first time), or "
                      "configure with -DQUIVER_SQL_ENGINE=OFF to build quiverd without it")
endif()
