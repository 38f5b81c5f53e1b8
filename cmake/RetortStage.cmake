# The build tree mirrors an install (bin/retort beside include/,
# share/retort/scaffold/ and lib/retort/dialects/), so that a built retort
# finds what it ships exactly as an installed one does. Not installed.
#
#   retort_stage(<target> SOURCE_DIR <dir> DESTINATION <dir> FILES <files...>)
#     Copies each file, at build time, from SOURCE_DIR to the same relative
#     path under DESTINATION, again whenever it changes. <target> is built
#     by default and holds the copies: depend on it to have them.
function(retort_stage target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "SOURCE_DIR;DESTINATION" "FILES")
  set(copies)
  foreach(file IN LISTS arg_FILES)
    file(RELATIVE_PATH relative ${arg_SOURCE_DIR} ${file})
    set(copy ${arg_DESTINATION}/${relative})
    add_custom_command(OUTPUT ${copy}
      COMMAND ${CMAKE_COMMAND} -E copy ${file} ${copy}
      DEPENDS ${file}
      COMMENT "Staging ${relative}"
      VERBATIM)
    list(APPEND copies ${copy})
  endforeach()
  add_custom_target(${target} ALL DEPENDS ${copies})
endfunction()
