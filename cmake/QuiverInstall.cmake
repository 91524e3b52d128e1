# `cmake --install build --prefix P` (or `scripts/dev.sh install P`) lays out:
#   P/bin/quiverd, P/bin/quiver          RUNPATH $ORIGIN/../lib
#   P/lib/libarrow*.so.NNNN ...          only the wheel's libraries the binaries load
#   P/share/doc/quiver/                  README, docs/*.md
#   P/share/quiver/                      sample quiverd.toml, systemd unit (prefix filled in)
# The tree can be moved anywhere: nothing refers to the source tree or .venv/.
# CMAKE_INSTALL_RPATH is set in the top-level CMakeLists.txt, before the targets.

install(TARGETS quiverd quiver RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")

if(QUIVER_ARROW_LIBDIR)
  # The wheel's libraries the binaries need, found by following their DT_NEEDED
  # entries; system libraries (libc, libcurl, ...) stay the system's.
  install(CODE "
    file(GET_RUNTIME_DEPENDENCIES
      EXECUTABLES \"$<TARGET_FILE:quiverd>\" \"$<TARGET_FILE:quiver>\"
      DIRECTORIES \"${QUIVER_ARROW_LIBDIR}\"
      RESOLVED_DEPENDENCIES_VAR _resolved
      UNRESOLVED_DEPENDENCIES_VAR _unresolved
      POST_INCLUDE_REGEXES \"^${QUIVER_ARROW_LIBDIR}/\"
      POST_EXCLUDE_REGEXES \".*\")
    if(_unresolved)
      message(FATAL_ERROR \"quiver install: unresolved libraries: \${_unresolved}\")
    endif()
    foreach(_lib IN LISTS _resolved)
      file(INSTALL \"\${_lib}\" DESTINATION
           \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}\" FOLLOW_SYMLINK_CHAIN)
    endforeach()
  ")
endif()

install(FILES README.md DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(DIRECTORY docs/ DESTINATION "${CMAKE_INSTALL_DOCDIR}" FILES_MATCHING PATTERN "*.md")
install(FILES packaging/quiverd.toml DESTINATION "${CMAKE_INSTALL_DATADIR}/quiver")
# The unit names the installed quiverd, wherever the prefix is.
install(CODE "
  file(READ \"${PROJECT_SOURCE_DIR}/packaging/quiverd.service\" _unit)
  string(REPLACE \"/usr/local/bin/quiverd\"
         \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/quiverd\" _unit \"\${_unit}\")
  file(WRITE \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/quiver/quiverd.service\"
       \"\${_unit}\")
  message(STATUS \"Installing: \${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/quiver/quiverd.service\")
")
