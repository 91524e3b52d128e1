# Arrow C++ for quiver.
#
# 1. A system-wide Arrow install (with CMake package files) is used when found.
# 2. Otherwise the Arrow C++ libraries and headers shipped in the pinned PyPI
#    pyarrow wheel (installed into .venv/ by scripts/bootstrap.sh) are used. The
#    wheel has no CMake or pkg-config files and only versioned library names, so
#    IMPORTED targets are declared here, one per library, linked by full path.
#
# Either way the project sees the same targets:
#   quiver::arrow  quiver::parquet  quiver::flight  quiver::compute  quiver::dataset
#   quiver::s3 (Arrow's S3 file system: its own library since Arrow 2x)
#   quiver::substrait (Substrait plans and expressions: arrow::engine)

set(QUIVER_ARROW_VERSION "26.0.1" CACHE STRING "Arrow version quiver is pinned to")
option(QUIVER_USE_SYSTEM_ARROW "Use a system-wide Arrow install when one is found" ON)

if(QUIVER_USE_SYSTEM_ARROW)
  find_package(ArrowFlight CONFIG QUIET)
  find_package(Parquet CONFIG QUIET)
  find_package(ArrowDataset CONFIG QUIET)
  find_package(ArrowSubstrait CONFIG QUIET)
endif()

if(ArrowFlight_FOUND AND Parquet_FOUND AND ArrowDataset_FOUND AND ArrowSubstrait_FOUND)
  message(STATUS "quiver: using system Arrow ${Arrow_VERSION}")
  add_library(quiver::arrow INTERFACE IMPORTED)
  target_link_libraries(quiver::arrow INTERFACE Arrow::arrow_shared)
  add_library(quiver::compute INTERFACE IMPORTED)
  if(TARGET ArrowCompute::arrow_compute_shared)
    target_link_libraries(quiver::compute INTERFACE ArrowCompute::arrow_compute_shared)
  endif()
  add_library(quiver::parquet INTERFACE IMPORTED)
  target_link_libraries(quiver::parquet INTERFACE Parquet::parquet_shared)
  add_library(quiver::flight INTERFACE IMPORTED)
  target_link_libraries(quiver::flight INTERFACE ArrowFlight::arrow_flight_shared)
  add_library(quiver::dataset INTERFACE IMPORTED)
  target_link_libraries(quiver::dataset INTERFACE ArrowDataset::arrow_dataset_shared)
  add_library(quiver::substrait INTERFACE IMPORTED)
  target_link_libraries(quiver::substrait INTERFACE ArrowSubstrait::arrow_substrait_shared)
  add_library(quiver::s3 INTERFACE IMPORTED)
  find_package(ArrowS3 CONFIG QUIET)
  if(TARGET ArrowS3::arrow_s3_shared)
    target_link_libraries(quiver::s3 INTERFACE ArrowS3::arrow_s3_shared)
  else()  # older Arrow: S3 inside libarrow
    target_link_libraries(quiver::s3 INTERFACE Arrow::arrow_shared)
  endif()
  return()
endif()

set(QUIVER_PYARROW_DIR "" CACHE PATH "Directory of the installed pyarrow package (wheel)")
if(NOT QUIVER_PYARROW_DIR)
  set(_py "${CMAKE_SOURCE_DIR}/.venv/bin/python")
  if(NOT EXISTS "${_py}")
    message(FATAL_ERROR "quiver: no system Arrow and no ${_py}; run scripts/bootstrap.sh first")
  endif()
  execute_process(
    COMMAND "${_py}" -c "import os, pyarrow; print(os.path.dirname(pyarrow.__file__))"
    OUTPUT_VARIABLE _dir OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "quiver: pyarrow is not importable from .venv; run scripts/bootstrap.sh")
  endif()
  set(QUIVER_PYARROW_DIR "${_dir}" CACHE PATH "" FORCE)
endif()

file(STRINGS "${QUIVER_PYARROW_DIR}/include/arrow/util/config.h" _ver_line
     REGEX "define ARROW_VERSION_STRING")
string(REGEX MATCH "\"([^\"]+)\"" _m "${_ver_line}")
set(_wheel_version "${CMAKE_MATCH_1}")
if(NOT _wheel_version STREQUAL QUIVER_ARROW_VERSION)
  message(FATAL_ERROR "quiver: pyarrow wheel has Arrow ${_wheel_version}, "
                      "expected ${QUIVER_ARROW_VERSION}; run scripts/bootstrap.sh")
endif()
string(REGEX MATCH "^([0-9]+)\\.([0-9]+)" _m "${_wheel_version}")
math(EXPR _so "${CMAKE_MATCH_1} * 100 + ${CMAKE_MATCH_2}")
message(STATUS "quiver: using Arrow ${_wheel_version} from the pyarrow wheel (SO ${_so})")
set(QUIVER_ARROW_LIBDIR "${QUIVER_PYARROW_DIR}" CACHE INTERNAL "")

function(_quiver_wheel_lib target file)
  set(_path "${QUIVER_PYARROW_DIR}/lib${file}.so.${_so}")
  if(NOT EXISTS "${_path}")
    message(FATAL_ERROR "quiver: ${_path} not found in the pyarrow wheel")
  endif()
  add_library(${target} SHARED IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION "${_path}"
    IMPORTED_SONAME "lib${file}.so.${_so}"
    INTERFACE_INCLUDE_DIRECTORIES "${QUIVER_PYARROW_DIR}/include"
    # Arrow 23+ headers need C++20.
    INTERFACE_COMPILE_FEATURES cxx_std_20)
  foreach(dep IN LISTS ARGN)
    set_property(TARGET ${target} APPEND PROPERTY INTERFACE_LINK_LIBRARIES ${dep})
  endforeach()
endfunction()

_quiver_wheel_lib(quiver::arrow arrow)
_quiver_wheel_lib(quiver::compute arrow_compute quiver::arrow)
_quiver_wheel_lib(quiver::parquet parquet quiver::arrow)
_quiver_wheel_lib(quiver::flight arrow_flight quiver::arrow)
_quiver_wheel_lib(quiver::acero arrow_acero quiver::compute)
_quiver_wheel_lib(quiver::dataset arrow_dataset quiver::parquet quiver::acero quiver::compute)
_quiver_wheel_lib(quiver::s3 arrow_s3 quiver::arrow)
_quiver_wheel_lib(quiver::substrait arrow_substrait quiver::dataset)

# Binaries find the wheel's libraries through their RPATH, never LD_LIBRARY_PATH.
# The wheel's own libraries carry RUNPATH=$ORIGIN for their siblings.
list(APPEND CMAKE_BUILD_RPATH "${QUIVER_PYARROW_DIR}")
add_link_options("LINKER:-rpath-link,${QUIVER_PYARROW_DIR}")
